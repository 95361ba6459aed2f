-- Removes from one conj set those of the given members whose cache key is gone,
-- atomically: a member found missing cannot be re-created (and re-added) between
-- the probe and the SREM, which would leave a live entry that no invalidation
-- reaches.
--
-- KEYS[1]  the conj set
-- ARGV[1]  "1" for a dry run: count only
-- ARGV[2..] members (cache keys) to check: at most one chunk
--
-- Returns {checked, dead}.
local conj = KEYS[1]
local dry = ARGV[1] == '1'
local dead = {}
for i = 2, #ARGV do
    -- OBJECT, not EXISTS: no keymiss event for the stats engine to miscount.
    if not redis.call('object', 'encoding', ARGV[i]) then
        dead[#dead + 1] = ARGV[i]
    end
end
if not dry and #dead > 0 then
    for i = 1, #dead, 1000 do
        redis.call('srem', conj, unpack(dead, i, math.min(i + 999, #dead)))
    end
end
return {#ARGV - 1, #dead}
