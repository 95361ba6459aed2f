-- One step of reaping a conj set: SSCAN from a cursor, then remove the members
-- whose cache key is gone. Atomic per step: a member found missing cannot be
-- re-created (and re-added) between the probe and the SREM, which would leave a
-- live entry that no invalidation reaches. Scanning here, not in the client,
-- spares sending every member to the client and back.
--
-- KEYS[1]  the conj set
-- ARGV[1]  SSCAN cursor ("0" to start)
-- ARGV[2]  SSCAN COUNT: about how many members this step looks at
-- ARGV[3]  "1" for a dry run: count only
--
-- Returns {next cursor ("0": done), checked, dead}.
local conj = KEYS[1]
local dry = ARGV[3] == '1'
local reply = redis.call('sscan', conj, ARGV[1], 'COUNT', ARGV[2])
local members = reply[2]
local dead = {}
for _, m in ipairs(members) do
    -- OBJECT, not EXISTS or MGET: no keymiss event for `cacheops stats` to miscount.
    if not redis.call('object', 'encoding', m) then
        dead[#dead + 1] = m
    end
end
if not dry and #dead > 0 then
    for i = 1, #dead, 1000 do
        redis.call('srem', conj, unpack(dead, i, math.min(i + 999, #dead)))
    end
end
return {reply[1], #members, #dead}
