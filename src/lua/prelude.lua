-- Shared by every script (prepended when the script is loaded).

-- The Redis type of a key, or 'none'. TYPE, EXISTS, TTL and most reads emit a
-- `keymiss` event for a missing key, which `cacheops stats` would count as a
-- cache miss; OBJECT does not (Redis 6 and 7), so it probes first.
local function key_type(k)
    if not redis.call('object', 'encoding', k) then
        return 'none'
    end
    return redis.call('type', k)['ok']
end
