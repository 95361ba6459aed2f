-- Drops conj keys, in bounded steps. Classic sets are popped in pieces and
-- their members (cache keys) deleted, so no call works on more than ARGV[2]
-- members however large a set has grown; insideout stamps are unlinked.
--
-- KEYS     conj keys, all of one layout
-- ARGV[1]  expected layout: classic | insideout
-- ARGV[2]  member budget of this call
--
-- Returns {status, done, conj_deleted, cache_deleted[, key, type]}:
--   ok        every key handled
--   partial   budget spent: KEYS[done+1] and later still need a call
--   conflict  a key has the other layout's type: nothing changed
--
-- Only TYPE touches keys that may be missing: it emits no keymiss event, so
-- this script does not show up as cache misses in `cacheops stats`.
local expected = ARGV[1]
local budget = tonumber(ARGV[2])
local want = expected == 'classic' and 'set' or 'string'

local types = {}
for i, k in ipairs(KEYS) do
    local t = redis.call('type', k)['ok']
    if t ~= 'none' and t ~= want then
        return {'conflict', 0, 0, 0, k, t}
    end
    types[i] = t
end

local conj_deleted, cache_deleted = 0, 0
if expected ~= 'classic' then
    for i, k in ipairs(KEYS) do
        if types[i] ~= 'none' then
            conj_deleted = conj_deleted + redis.call('unlink', k)
        end
    end
    return {'ok', #KEYS, conj_deleted, 0}
end

for i, k in ipairs(KEYS) do
    if types[i] == 'set' then
        local left = redis.call('scard', k)
        while left > 0 do
            if budget <= 0 then
                return {'partial', i - 1, conj_deleted, cache_deleted}
            end
            local members = redis.call('spop', k, math.min(budget, 1000, left))
            budget = budget - #members
            left = left - #members
            cache_deleted = cache_deleted + redis.call('del', unpack(members))
        end
        -- A set popped empty is gone: Redis removes empty sets.
        conj_deleted = conj_deleted + 1
    end
end
return {'ok', #KEYS, conj_deleted, cache_deleted}
