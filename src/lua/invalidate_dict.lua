-- Invalidates what one row can affect: cacheops' invalidate_dict, in either
-- layout, plus a layout check and a size guard. Atomic, like cacheops' own.
--
-- KEYS[1]  prefix (as cacheops passes it)
-- ARGV[1]  db_table
-- ARGV[2]  the row as cacheops' classic script gets it: json.dumps(obj, default=str)
-- ARGV[3]  the row as the insideout script gets it: every value Python str()-ed
-- ARGV[4]  expected layout: classic | insideout | auto
-- ARGV[5]  largest total of conj set members to delete atomically here
-- ARGV[6]  "1" for a dry run: report, change nothing
--
-- Returns {status, layout, conj_deleted, cache_deleted, key...}; status is
--   ok        done (dry run: what would go)
--   none      no conj key of this row exists: nothing to do in any layout
--   big       classic sets too large for one atomic step: nothing changed, the
--             keys follow for bounded draining
--   conflict  the data's layout is not the expected one: nothing changed,
--             the offending key and its type follow
local prefix = KEYS[1]
local db_table = ARGV[1]
local obj_classic = cjson.decode(ARGV[2])
local obj_insideout = cjson.decode(ARGV[3])
local expected = ARGV[4]
local max_members = tonumber(ARGV[5])
local dry = ARGV[6] == '1'

-- Same construction as cacheops: fields in stored scheme order, tostring() of
-- each value, `nil` for a field the row lacks.
local conj_key = function (scheme, obj)
    local parts = {}
    for field in string.gmatch(scheme, "[^,]+") do
        table.insert(parts, field .. '=' .. tostring(obj[field]))
    end
    return prefix .. 'conj:' .. db_table .. ':' .. table.concat(parts, '&')
end

-- key_type() (prelude.lua) emits no keymiss event for a missing key, unlike
-- SCARD or EXISTS: invalidations do not show up as cache misses.
local schemes_key = prefix .. 'schemes:' .. db_table
if key_type(schemes_key) ~= 'set' then
    return {'none', expected, 0, 0}
end
if redis.call('scard', schemes_key) > 10000 then
    return redis.error_reply('schemes set of ' .. db_table .. ' has over 10000 members; refusing to read it in one call')
end
local schemes = redis.call('smembers', schemes_key)

local classic_keys, insideout_keys = {}, {}
for _, scheme in ipairs(schemes) do
    table.insert(classic_keys, conj_key(scheme, obj_classic))
    table.insert(insideout_keys, conj_key(scheme, obj_insideout))
end

-- Evidence of the layout: what type the computed keys have, where they exist.
local found, types = {}, {}
local function look(keys)
    for _, k in ipairs(keys) do
        local t = key_type(k)
        types[k] = t
        if t == 'set' then
            found.set = found.set or k
        elseif t ~= 'none' then
            found.string = found.string or (k .. ' (' .. t .. ')')
        end
    end
end
look(classic_keys)
look(insideout_keys)

local layout = expected
if found.set and found.string then
    return {'conflict', 'mixed', 0, 0, found.set .. ' is a set', found.string .. ' is not'}
elseif found.set then
    if expected == 'insideout' then
        return {'conflict', 'classic', 0, 0, found.set, 'set'}
    end
    layout = 'classic'
elseif found.string then
    if expected == 'classic' then
        return {'conflict', 'insideout', 0, 0, found.string, 'string'}
    end
    layout = 'insideout'
else
    return {'none', expected, 0, 0}
end

if layout == 'insideout' then
    local n = 0
    for _, k in ipairs(insideout_keys) do
        if types[k] ~= 'none' then
            n = n + 1
            if not dry then
                redis.call('unlink', k)
            end
        end
    end
    return {'ok', layout, n, 0}
end

-- Classic: the union of the existing sets' members goes, then the sets.
local existing, total = {}, 0
for _, k in ipairs(classic_keys) do
    local c = types[k] == 'set' and redis.call('scard', k) or 0
    if c > 0 then
        table.insert(existing, k)
        total = total + c
    end
end
if total > max_members then
    local out = {'big', layout, 0, 0}
    for _, k in ipairs(existing) do table.insert(out, k) end
    return out
end
if dry then
    local out = {'ok', layout, #existing, total}
    for _, k in ipairs(existing) do table.insert(out, k) end
    return out
end

local cache_deleted = 0
if #existing > 0 then
    local cache_keys = redis.call('sunion', unpack(existing))
    redis.call('unlink', unpack(classic_keys))
    -- Lua's unpack() has a stack limit: delete in chunks, as cacheops does.
    for i = 1, #cache_keys, 1000 do
        cache_deleted = cache_deleted + redis.call('del', unpack(cache_keys, i, math.min(i + 999, #cache_keys)))
    end
end
return {'ok', layout, #existing, cache_deleted}
