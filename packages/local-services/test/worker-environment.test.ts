import t from 'tap';
import { workerEnvironment } from '../src/local-stack.js';

t.test('npm start hands a worker everything but the API-only secrets', async (t) => {
  const env = {
    PATH: '/usr/bin',
    MONGODB_URL: 'mongodb://127.0.0.1:27017/tickwork',
    REDIS_URL: 'redis://127.0.0.1:6379',
    JOB_CLASS_PACKAGES: '@tickwork/sample-jobs',
    SESSION_SECRET: 's'.repeat(40),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'Very$ecret',
  };
  t.same(workerEnvironment(env), {
    PATH: '/usr/bin',
    MONGODB_URL: 'mongodb://127.0.0.1:27017/tickwork',
    REDIS_URL: 'redis://127.0.0.1:6379',
    JOB_CLASS_PACKAGES: '@tickwork/sample-jobs',
  });
  t.equal(env.SESSION_SECRET, 's'.repeat(40), 'the API’s own environment is left as it was');
});
