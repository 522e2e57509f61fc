import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { VARIABLES, type Variable } from '../src/index.js';

/**
 * Every environment variable the sources read by name is in the table, or here with the reason it is not
 * configuration of the API, a worker or npm start: a variable added elsewhere would be missing from
 * `.env.example` and the README without anyone noticing.
 */
const NOT_CONFIGURATION: Record<string, string> = {
  TICKWORK_API: "the CLI's own (README, Command line)",
  TICKWORK_TOKEN: "the CLI's own",
  TICKWORK_USER: "the CLI's own",
  TICKWORK_PASSWORD: "the CLI's own",
  TICKWORK_FROM_TOKEN: "the CLI's own",
  SIMPLE_SCHEDULER_SLACK_URL: "SlackJob's, given to jobs through JOB_ENV_PASSTHROUGH",
  PATH: "the system's",
  TICKWORK_TEST_MONGODB_URL: "the test harness's",
  TICKWORK_TEST_REDIS_URL: "the test harness's",
  TICKWORK_TEST_POSTGRESQL_URL: "the test harness's",
  BENCH_RUN_LOG: "the benchmark's",
  SOAK_RUN_LOG: "the chaos soak's",
};

const root = new URL('../../../', import.meta.url);
const READ = /\benv\.([A-Z][A-Z0-9_]+)|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]|\.env\(['"]([A-Z][A-Z0-9_]+)['"]\)/g;

function sources(): string[] {
  const dirs = ['apps', 'packages'].flatMap((parent) =>
    readdirSync(new URL(`${parent}/`, root)).map((name) => `${parent}/${name}/src/`),
  );
  return [...dirs, 'scripts/'].flatMap((dir) => {
    let files: string[];
    try {
      files = readdirSync(new URL(dir, root), { recursive: true }) as string[];
    } catch {
      return [];
    }
    return files.filter((file) => /\.(ts|tsx|mjs)$/.test(file)).map((file) => `${dir}${file}`);
  });
}

t.test('every variable read by name is in the table or named here as not configuration', async (t) => {
  const known = new Set([
    ...(VARIABLES as readonly Variable[]).map((row) => row.env),
    ...Object.keys(NOT_CONFIGURATION),
  ]);
  const unknown = new Set<string>();
  let reads = 0;
  for (const file of sources()) {
    for (const match of readFileSync(new URL(file, root), 'utf8').matchAll(READ)) {
      const name = match[1] ?? match[2] ?? match[3] ?? '';
      reads++;
      if (!known.has(name)) unknown.add(`${name} (${file})`);
    }
  }
  t.ok(reads > 10, 'the scan finds reads');
  t.same([...unknown], [], 'add these to packages/config/src/variables.ts, or here with a reason');
});
