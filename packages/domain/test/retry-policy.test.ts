import t from 'tap';
import { nextRetry, retryAt, retryDescription } from '../src/retry-policy.js';

t.test('no retries: a failed fire is not run again, cron-style', async (t) => {
  t.equal(nextRetry({ retries: 0, retry_backoff_sec: 10 }, 0), null);
});

t.test('each re-run waits twice as long as the one before, up to the number allowed', async (t) => {
  const job = { retries: 3, retry_backoff_sec: 5 };
  t.same(nextRetry(job, 0), { number: 1, delayMs: 5000 });
  t.same(nextRetry(job, 1), { number: 2, delayMs: 10_000 });
  t.same(nextRetry(job, 2), { number: 3, delayMs: 20_000 });
  t.equal(nextRetry(job, 3), null, 'the fourth failure is final');
});

t.test('backoff is capped at a day, and zero means at once', async (t) => {
  t.same(nextRetry({ retries: 100, retry_backoff_sec: 86_400 }, 50), { number: 51, delayMs: 86_400_000 });
  t.same(nextRetry({ retries: 2, retry_backoff_sec: 0 }, 1), { number: 2, delayMs: 0 });
});

t.test('the waiting record says which attempt failed, why, and when the next one runs', async (t) => {
  t.equal(
    retryDescription({ number: 1, delayMs: 5000 }, 2, 'boom'),
    'attempt 1 of 3 failed (boom); running again in 5 s',
  );
});

t.test('the next attempt is due after the backoff, or never once the retries are spent', async (t) => {
  t.equal(retryAt({ retries: 0, retry_backoff_sec: 5 }, 1, 10_000), null);
  t.equal(retryAt({ retries: 2, retry_backoff_sec: 5 }, 1, 10_000), 15_000);
  t.equal(retryAt({ retries: 2, retry_backoff_sec: 5 }, 2, 10_000), 20_000);
  t.equal(retryAt({ retries: 2, retry_backoff_sec: 5 }, 3, 10_000), null);
});
