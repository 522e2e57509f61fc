// npm run bench [-- --quick] [--json] [--only fire,throughput,api,memory,store,profile] [--worker-concurrency N]
// Starts a stack of its own, measures, writes docs/benchmarks.md; with --json the last stdout line is the JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@tickwork/local-services';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { BenchStack, say } from './bench-stack.js';
import { renderReport, spliceReport } from './report.js';
import { type BenchResults, judgeTargets } from './results.js';
import { apiLoad } from './scenarios/api-load.js';
import { firePrecision } from './scenarios/fire-precision.js';
import { memory } from './scenarios/memory.js';
import { profile } from './scenarios/profile.js';
import { storeLimit } from './scenarios/store-limit.js';
import { throughput } from './scenarios/throughput.js';

const SCENARIOS = ['store', 'fire', 'throughput', 'api', 'memory', 'profile'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Options {
  quick: boolean;
  json: boolean;
  only: Set<Scenario>;
  /** An experiment with another WORKER_CONCURRENCY than the default: printed, not written to the doc. */
  workerConcurrency: number | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { quick: false, json: false, only: new Set(SCENARIOS), workerConcurrency: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = names.filter((n) => !SCENARIOS.includes(n as Scenario));
      if (names.length === 0 || unknown.length) {
        throw new Error(`--only takes a comma-separated list of ${SCENARIOS.join(', ')}`);
      }
      options.only = new Set(names as Scenario[]);
    } else if (arg === '--worker-concurrency') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error('--worker-concurrency takes a whole number ≥ 1');
      options.workerConcurrency = n;
    } else throw new Error(`unknown option ${arg}; use --quick, --json, --only <scenarios>, --worker-concurrency <n>`);
  }
  return options;
}

/** How much each scenario does: the sizes, and a quick run under ~15 minutes. */
function sizes(quick: boolean) {
  return {
    fireJobs: quick ? [1000] : [1000, 10_000],
    fireWorkers: [1, 2, 4],
    throughputExecutions: quick ? 2000 : 5000,
    throughputWorkers: quick ? [1] : [1, 2],
    apiJobs: 10_000,
    apiExecutions: quick ? 100_000 : 1_000_000,
    apiLastHour: 10_000,
    apiAudit: 10_000,
    apiDurationSec: quick ? 5 : 15,
    apiListRequests: quick ? 20 : 50,
    memoryJobs: 100_000,
    memoryExecutions: quick ? 2000 : 5000,
    storeSizes: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000],
    storeStepSec: quick ? 3 : 5,
    profileExecutions: quick ? 2000 : 3000,
  };
}

async function versions(stack: BenchStack): Promise<Record<string, string>> {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const packageVersion = (name: string) => {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  const redis = new Redis(stack.redis.url);
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  redis.disconnect();
  const connection = await mongoose.createConnection(stack.mongo.url).asPromise();
  const build = (await connection.db?.admin().command({ buildInfo: 1 })) as
    | { version?: string; ferretdbVersion?: string }
    | undefined;
  await connection.close();
  const tickwork = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    Tickwork: tickwork.version,
    Node: process.version,
    'MongoDB-wire server':
      `${stack.mongo.source} ${build?.ferretdbVersion ?? ''} (MongoDB ${build?.version ?? '?'})`.trim(),
    Redis: redisVersion,
    BullMQ: packageVersion('bullmq'),
    mongoose: packageVersion('mongoose'),
    Fastify: packageVersion('fastify'),
    autocannon: packageVersion('autocannon'),
  };
}

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const size = sizes(options.quick);
  const began = Date.now();
  say(`${options.quick ? 'quick' : 'full'} run: ${[...options.only].join(', ')}`);
  const stack = await BenchStack.start(options.workerConcurrency ?? undefined);
  const stop = () => {
    stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const results: Omit<BenchResults, 'targets' | 'duration_sec'> = {
      mode: options.quick ? 'quick' : 'full',
      date: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memory_gib: Math.round(totalmem() / 2 ** 30),
        os: `${type()} ${release()}`,
      },
      versions: await versions(stack),
    };
    if (options.only.has('store')) {
      say('the MongoDB-wire server alone');
      results.store_limit = await storeLimit(stack, size.storeSizes, size.storeStepSec, 16);
    }
    if (options.only.has('fire')) {
      results.fire_precision = [];
      for (const jobs of size.fireJobs) {
        for (const workers of size.fireWorkers) {
          say(`fire precision: ${jobs} jobs, ${workers} worker(s)`);
          results.fire_precision.push(await firePrecision(stack, jobs, workers));
        }
      }
    }
    if (options.only.has('throughput')) {
      results.throughput = [];
      for (const workers of size.throughputWorkers) {
        say(`throughput: ${size.throughputExecutions} executions, ${workers} worker(s)`);
        results.throughput.push(await throughput(stack, size.throughputExecutions, workers));
      }
      results.ratio_vs_bullmq = results.throughput[0]?.ratio_vs_bullmq;
    }
    if (options.only.has('api')) {
      say('API load');
      results.api = await apiLoad(stack, {
        jobs: size.apiJobs,
        executions: size.apiExecutions,
        lastHour: size.apiLastHour,
        audit: size.apiAudit,
        durationSec: size.apiDurationSec,
        listRequests: size.apiListRequests,
      });
    }
    if (options.only.has('memory')) {
      say(`memory: ${size.memoryJobs} job definitions`);
      results.memory = await memory(stack, size.memoryJobs, size.memoryExecutions);
    }
    if (options.only.has('profile')) {
      say('profile');
      results.profile = await profile(stack, size.profileExecutions);
    }
    const complete: BenchResults = {
      ...results,
      targets: judgeTargets(results),
      duration_sec: Math.round((Date.now() - began) / 1000),
    };
    const report = renderReport(complete);
    if (options.workerConcurrency !== null) {
      say(`WORKER_CONCURRENCY=${options.workerConcurrency} is an experiment: docs/benchmarks.md left as it was`);
      console.log(options.json ? JSON.stringify(complete) : report);
      return 0;
    }
    const file = join(REPO_ROOT, 'docs', 'benchmarks.md');
    let existing: string | null = null;
    try {
      existing = readFileSync(file, 'utf8');
    } catch {
      // first run
    }
    writeFileSync(file, spliceReport(existing, report));
    say(`wrote ${file}`);
    if (options.json) console.log(JSON.stringify(complete));
    else console.log(report);
    return 0;
  } finally {
    await stack.stop();
  }
}
