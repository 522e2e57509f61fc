import t from 'tap';
import { loadConfig, parseRedisClusterUrl, parseRedisSentinelUrl } from '../src/index.js';

t.test('the Sentinel form of REDIS_URL', async (t) => {
  t.same(parseRedisSentinelUrl('redis-sentinel://:s3cret@10.0.0.1:26379,sentinel-2:26380/mymaster/2'), {
    sentinels: [
      { host: '10.0.0.1', port: 26379 },
      { host: 'sentinel-2', port: 26380 },
    ],
    name: 'mymaster',
    username: undefined,
    password: 's3cret',
    db: 2,
  });
  t.equal(parseRedisSentinelUrl('redis://127.0.0.1:6379'), null, 'other forms are left to ioredis');
  t.equal(loadConfig({ REDIS_URL: 'redis-sentinel://a:1,b:2/m' }).redisUrl, 'redis-sentinel://a:1,b:2/m');
  for (const bad of ['redis-sentinel://a:1', 'redis-sentinel://a/m', 'redis-sentinel://a:x/m']) {
    t.throws(() => loadConfig({ REDIS_URL: bad }), { message: /^REDIS_URL: / }, bad);
  }
});

t.test('the Cluster form of REDIS_URL, which needs a {hash tag} in QUEUE_PREFIX', async (t) => {
  t.same(parseRedisClusterUrl('redis-cluster://user:pw@r1:7000,r2:7001'), {
    nodes: [
      { host: 'r1', port: 7000 },
      { host: 'r2', port: 7001 },
    ],
    username: 'user',
    password: 'pw',
  });
  t.equal(loadConfig({ REDIS_URL: 'redis-cluster://r1:7000', QUEUE_PREFIX: '{tickwork}' }).queuePrefix, '{tickwork}');
  t.throws(() => loadConfig({ REDIS_URL: 'redis-cluster://r1:7000' }), {
    message: /^QUEUE_PREFIX: must hold a \{hash tag\}/,
  });
  t.throws(() => loadConfig({ REDIS_URL: 'redis-cluster://r1' }), {
    message: /^REDIS_URL: address "r1" is not host:port/,
  });
});
