import type { SeededRandom } from './random.js';
import type { SoakFleet } from './soak-fleet.js';
import type { SoakJobSpec } from './soak-jobs.js';

// biome-ignore lint/suspicious/noExplicitAny: the JSON the API answered, read by the soak as it expects it
type Json = any;

export interface SoakJob {
  job_id: string;
  name: string;
  /** The job as GET shows it: its schedule fields, crontab line and timezone. */
  schedule: Record<string, unknown>;
  createdAt: number;
  runNow: boolean;
}

export interface ListedExecution {
  execution_id: string;
  state: string;
  scheduled_time: string;
  job: { job_id: string };
  attempts: unknown[];
}

/**
 * The soak's client: what scripts and the UI do to a fleet, through whichever API answers (as behind a load
 * balancer: a dead API's connection is refused and the other is asked). Every HTTP answer is kept for the
 * audit; run-now bursts are remembered, since their records are not fires of a schedule.
 */
export class SoakClient {
  readonly answers: Array<{ status: number; at: number }> = [];
  readonly runNowIds = new Set<string>();
  /** Each run-now asked: a record it made without answering 200 (a 503) falls in one of these windows. */
  readonly runNowRequests: Array<{ job_id: string; from: number; to: number }> = [];
  private traffic: NodeJS.Timeout | undefined;
  private tick = 0;

  constructor(
    private readonly fleet: SoakFleet,
    private readonly random: SeededRandom,
  ) {}

  /** One request to a live API (the other if it fails to connect); undefined when none answered. */
  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json } | undefined> {
    const apis = this.fleet.apis.filter((api) => api.alive && api.base);
    for (const api of this.random.next() < 0.5 ? apis : [...apis].reverse()) {
      try {
        const response = await fetch(`${api.base}${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        this.answers.push({ status: response.status, at: Date.now() });
        return { status: response.status, body: text ? JSON.parse(text) : undefined };
      } catch {
        // refused, reset or timed out: a killed or paused process; ask the other
      }
    }
    return undefined;
  }

  /** `request` again until it answers `status` (faults may be under way), for at most `deadlineMs`. */
  async until(status: number, method: string, path: string, body?: unknown, deadlineMs = 120_000): Promise<Json> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const answer = await this.request(method, path, body);
      if (answer?.status === status) return answer.body;
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no ${status} within ${deadlineMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async createJobs(specs: readonly SoakJobSpec[]): Promise<SoakJob[]> {
    const jobs: SoakJob[] = [];
    for (const spec of specs) {
      const { job_id } = await this.until(201, 'POST', '/api/v1/jobs', { name: spec.name, ...spec.fields });
      const createdAt = Date.now();
      const schedule = await this.until(200, 'GET', `/api/v1/jobs/${job_id}`);
      jobs.push({ job_id, name: spec.name, schedule, createdAt, runNow: spec.runNow === true });
    }
    return jobs;
  }

  /** Reads every second as the UI does; now and then a burst of run-nows of one job. */
  startTraffic(jobs: readonly SoakJob[]): void {
    const runNowJobs = jobs.filter((job) => job.runNow);
    this.traffic = setInterval(() => {
      this.tick++;
      const since = new Date(Date.now() - 60_000).toISOString();
      const reads = ['/api/v1/jobs', `/api/v1/executions?time_range_start=${since}`, '/api/v1/workers'];
      void this.request('GET', reads[this.tick % reads.length] as string);
      if (this.tick % 15 === 0 && runNowJobs.length) void this.runNowBurst(this.random.pick(runNowJobs));
    }, 1000);
  }

  stopTraffic(): void {
    clearInterval(this.traffic);
  }

  private async runNowBurst(job: SoakJob): Promise<void> {
    await Promise.all(
      [1, 2, 3].map(async () => {
        const request = { job_id: job.job_id, from: Date.now(), to: Number.NaN };
        this.runNowRequests.push(request);
        const answer = await this.request('POST', `/api/v1/executions/${job.job_id}`);
        request.to = Date.now();
        if (answer?.status === 200 && answer.body?.execution_id) this.runNowIds.add(answer.body.execution_id);
      }),
    );
  }

  async pauseAll(jobs: readonly SoakJob[]): Promise<void> {
    for (const job of jobs) await this.until(200, 'PATCH', `/api/v1/jobs/${job.job_id}`);
  }

  /** Every execution since `since`, page by page. */
  async executions(since: number): Promise<ListedExecution[]> {
    const range = `time_range_start=${new Date(since - 60_000).toISOString()}&time_range_end=${new Date(Date.now() + 600_000).toISOString()}`;
    const all: ListedExecution[] = [];
    let cursor = '';
    do {
      const page = await this.until(200, 'GET', `/api/v1/executions?${range}&cursor=${encodeURIComponent(cursor)}`);
      all.push(...(page.executions as ListedExecution[]));
      cursor = page.truncated ? page.next_cursor : '';
    } while (cursor);
    return all;
  }
}
