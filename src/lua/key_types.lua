-- The type of each of KEYS ('none' when missing), without keymiss events.
local out = {}
for i, k in ipairs(KEYS) do
    out[i] = key_type(k)
end
return out
