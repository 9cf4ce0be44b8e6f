/**
 * The Lua scripts of RedisPresence. Each runs atomically in Redis, so two instances (or two
 * sweepers) never interleave inside one: a pair is counted once when added and uncounted once when
 * removed, whoever removes it.
 *
 * Keys under `base` (the deployment's prefix + "presence:"):
 * - `instances`: ZSET instance id → time of its last beat (Redis server time, ms);
 * - `instance:<id>`: SET of the "room\0user" pairs that instance holds;
 * - `room:<key>`: HASH user → how many instances hold the user in the room (its HLEN is the
 *   room's online count).
 * The reaper reaches room hashes by name from the pairs it finds, which needs one Redis (not a
 * cluster, where a script may only touch the keys it declares).
 */

const HELPERS = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function split(pair)
  local at = string.find(pair, '\\0', 1, true)
  return string.sub(pair, 1, at - 1), string.sub(pair, at + 1)
end
local function count(base, pair, by)
  local room, user = split(pair)
  local hash = base .. 'room:' .. room
  local n = redis.call('HINCRBY', hash, user, by)
  if n <= 0 then redis.call('HDEL', hash, user) end
  return n
end
local function drop(base, id)
  local set = base .. 'instance:' .. id
  for _, pair in ipairs(redis.call('SMEMBERS', set)) do count(base, pair, -1) end
  redis.call('DEL', set)
  redis.call('ZREM', base .. 'instances', id)
end
`;

/**
 * KEYS: instance set, room hash, instances zset. ARGV: pair, user, instance id.
 * Returns {changed (user's instance count went 0 → 1), online count, instance was not registered}.
 */
export const ENTER = `${HELPERS}
local changed = 0
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then changed = 1 end
end
local registered = redis.call('ZADD', KEYS[3], now_ms(), ARGV[3])
return {changed, redis.call('HLEN', KEYS[2]), registered}
`;

/**
 * KEYS: instance set, room hash. ARGV: pair, user.
 * Returns {changed (user's instance count went 1 → 0), online count}.
 */
export const EXIT = `
local changed = 0
if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then
  if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
    redis.call('HDEL', KEYS[2], ARGV[2])
    changed = 1
  end
end
return {changed, redis.call('HLEN', KEYS[2])}
`;

/** KEYS: instances zset. ARGV: instance id. Returns 1 when the instance was not registered. */
export const BEAT = `${HELPERS}
return redis.call('ZADD', KEYS[1], now_ms(), ARGV[1])
`;

/**
 * Makes the instance's set equal to the pairs it holds (after it was reaped, or after a call whose
 * outcome is unknown), counting added pairs up and removed ones down, and registers it.
 * KEYS: instance set, instances zset. ARGV: base, instance id, pair….
 */
export const SYNC = `${HELPERS}
local base = ARGV[1]
local want = {}
for i = 3, #ARGV do want[ARGV[i]] = true end
for _, pair in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if want[pair] then
    want[pair] = nil
  else
    redis.call('SREM', KEYS[1], pair)
    count(base, pair, -1)
  end
end
for pair in pairs(want) do
  redis.call('SADD', KEYS[1], pair)
  count(base, pair, 1)
end
redis.call('ZADD', KEYS[2], now_ms(), ARGV[2])
return 1
`;

/**
 * Removes every instance whose last beat is older than the TTL, with its pairs.
 * KEYS: instances zset. ARGV: base, ttl in ms. Returns how many instances were reaped.
 */
export const REAP = `${HELPERS}
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now_ms() - tonumber(ARGV[2])))
for _, id in ipairs(dead) do drop(ARGV[1], id) end
return #dead
`;

/** Removes one instance and its pairs (its own shutdown). KEYS: instances zset. ARGV: base, id. */
export const LEAVE = `${HELPERS}
drop(ARGV[1], ARGV[2])
return 1
`;
