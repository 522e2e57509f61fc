/**
 * The benchmark's job classes, loaded by workers with JOB_CLASS_PACKAGES=@tickwork/bench/jobs under
 * `bench.jobs.<file>.<Class>` like any job package.
 */
import { appendFileSync } from 'node:fs';
import { JobBase } from '@tickwork/sdk';

/** Does nothing: what a run costs Tickwork itself. */
export class NoopJob extends JobBase {
  run(): null {
    return null;
  }
}

/**
 * Does nothing but note that it ran, one line per run in the file BENCH_RUN_LOG names (O_APPEND: lines from
 * many processes do not interleave). The fire-precision count of runs comes from here, not from our records.
 */
export class CountedJob extends JobBase {
  run(): null {
    // Job processes see only allow-listed variables: the worker must pass this one (JOB_ENV_PASSTHROUGH).
    const file = process.env.BENCH_RUN_LOG;
    if (!file) throw new Error('BENCH_RUN_LOG is not set in the job process: add it to JOB_ENV_PASSTHROUGH');
    appendFileSync(file, `${this.jobId}\n`);
    return null;
  }
}

export const bench = { jobs: { noop_job: { NoopJob }, counted_job: { CountedJob } } };
