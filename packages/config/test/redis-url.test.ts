import t from 'tap';
import { loadConfig, parseRedisSentinelUrl } from '../src/index.js';

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
