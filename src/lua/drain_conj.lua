-- Drops conj keys, in bounded steps: a classic set goes with its members
-- (cache keys), and no call deletes more than ARGV[2] members however large a
-- set has grown; insideout stamps are unlinked.
--
-- KEYS     conj keys
-- ARGV[1]  expected layout: classic | insideout | auto (the keys' own type decides)
-- ARGV[2]  member budget of this call
--
-- Returns {status, done, conj_deleted, cache_deleted, layout[, key, type]}:
--   ok        every key handled
--   partial   budget spent: KEYS[done+1] and later still need a call
--   conflict  a key has the other layout's type (or the keys mix both):
--             nothing changed; the key and its type follow
--
-- Keys that may be missing are probed with key_type() (prelude.lua), which
-- emits no keymiss event: invalidations do not show up as cache misses.
local expected = ARGV[1]
local budget = tonumber(ARGV[2])
local layout_of = {set = 'classic', string = 'insideout'}

local types, layout = {}, expected
for i, k in ipairs(KEYS) do
    local t = key_type(k)
    types[i] = t
    if t ~= 'none' then
        local l = layout_of[t]
        if l == nil or (layout ~= 'auto' and l ~= layout) then
            return {'conflict', 0, 0, 0, layout, k, t}
        end
        layout = l
    end
end

local conj_deleted, cache_deleted = 0, 0
if layout == 'insideout' then
    local existing = {}
    for i, k in ipairs(KEYS) do
        if types[i] ~= 'none' then
            existing[#existing + 1] = k
        end
    end
    if #existing > 0 then
        conj_deleted = redis.call('unlink', unpack(existing))
    end
    return {'ok', #KEYS, conj_deleted, 0, layout}
end

-- Whole sets that fit the budget are read with SMEMBERS and deleted with
-- their members in a few large DEL/UNLINK calls (fewer redis.call()s than
-- popping set by set); a set larger than what is left of the budget is popped
-- as far as the budget goes, and the next call goes on with it.
local members, sets = {}, {}
local function flush()
    -- unpack() is bounded by Lua's C stack: chunks of 1000.
    for i = 1, #members, 1000 do
        cache_deleted = cache_deleted + redis.call('del', unpack(members, i, math.min(i + 999, #members)))
    end
    for i = 1, #sets, 1000 do
        conj_deleted = conj_deleted + redis.call('unlink', unpack(sets, i, math.min(i + 999, #sets)))
    end
end

for i, k in ipairs(KEYS) do
    if types[i] == 'set' then
        local n = redis.call('scard', k)
        if n <= budget then
            for _, m in ipairs(redis.call('smembers', k)) do
                members[#members + 1] = m
            end
            sets[#sets + 1] = k
            budget = budget - n
        else
            if budget > 0 then
                for _, m in ipairs(redis.call('spop', k, budget)) do
                    members[#members + 1] = m
                end
            end
            flush()
            return {'partial', i - 1, conj_deleted, cache_deleted, layout}
        end
    end
end
flush()
return {'ok', #KEYS, conj_deleted, cache_deleted, layout}
