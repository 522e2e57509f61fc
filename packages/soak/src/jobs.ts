/**
 * The soak's job class, loaded by its workers with JOB_CLASS_PACKAGES=@tickwork/soak/jobs as
 * `soak.jobs.soak_job.SoakJob`. Each run writes its own account of itself, independent of Tickwork's records:
 * a line when it starts and one when it ends, in the file SOAK_RUN_LOG names (O_APPEND: lines from many
 * processes do not interleave). The audit holds the records to it.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobBase } from '@tickwork/sdk';

export class SoakJob extends JobBase {
  /** `durationMs`: how long it works; `failPercent`: how often it throws (each attempt drawn afresh). */
  async run(durationMs = 100, failPercent = 0): Promise<string> {
    const file = process.env.SOAK_RUN_LOG;
    if (!file) throw new Error('SOAK_RUN_LOG is not set in the job process: add it to JOB_ENV_PASSTHROUGH');
    const log = (line: object) => appendFileSync(file, `${JSON.stringify({ e: this.executionId, ...line })}\n`);
    log({ event: 'start', pid: process.pid, at: Date.now() });
    await sleep(Number(durationMs), undefined, { signal: this.signal }).catch(() => undefined);
    if (this.signal.aborted) {
      log({ event: 'end', outcome: 'fail', at: Date.now() });
      throw new Error('stopped');
    }
    if (Math.random() * 100 < Number(failPercent)) {
      log({ event: 'end', outcome: 'fail', at: Date.now() });
      throw new Error('failed on purpose');
    }
    log({ event: 'end', outcome: 'ok', at: Date.now() });
    return 'ok';
  }
}

export const soak = { jobs: { soak_job: { SoakJob } } };
