// Every exclusive decision of the ledger, raced: contenders in processes of their own make conflicting moves
// on the same run within the same millisecond, a hundred times over, against the store the suite runs on
// (FerretDB on PostgreSQL, whose conditional updates are not compare-and-set). Each time exactly one wins,
// and the run is as its winner left it: nothing a loser did shows, nothing is reverted afterwards.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Execution, jobSummary, newJobDefinition, ExecutionState as S } from '@tickwork/domain';
import { type Fleet, openFleet } from '@tickwork/ledger';
import { REPO_ROOT } from '@tickwork/local-services';
import { testEnvironment } from '@tickwork/testing';
import t, { type Test } from 'tap';
import type { ContenderInput, Move, Trial } from './fixtures/race-contender.js';

const TRIALS = 100;
const SPACING_MS = 30;
const run = promisify(execFile);
t.setTimeout(240_000);
const scratch = mkdtempSync(join(tmpdir(), 'tickwork-races-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
const environment = testEnvironment(t);
const quiet = { info() {}, warn() {}, error() {} };
const api = await openFleet(environment.config, { kind: 'api' }, quiet);
const giveUp = new AbortController();
const setup = await openFleet(
  environment.config,
  { kind: 'worker', holder: 'setup', hostname: 'setup', pid: process.pid, giveUp: giveUp.signal },
  quiet,
);
t.teardown(async () => {
  giveUp.abort();
  await setup.close();
  await api.close();
});

const job = (retries = 0) =>
  jobSummary(newJobDefinition({ name: 'race', job_class_string: 'a.B', minute: '*', retries }, 'UTC'));

async function fold(fleet: Fleet, id: string): Promise<Execution> {
  const execution = await fleet.ledger.get(id);
  if (!execution) throw new Error(`no execution ${id}`);
  return execution;
}

/** `count` runs in the state a race starts from. */
async function prepare(count: number, state: 'waiting' | 'running' | 'stopping', retries = 0): Promise<Trial[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      if (state === 'waiting') {
        return { execution: await fold(api, await api.ledger.queueRunNow(job(retries))) };
      }
      const fired = await setup.ledger.recordFire(job(retries), Date.now() - 60_000 + i, 'setup', null);
      if (!('taken' in fired)) throw new Error('not taken');
      if (state === 'stopping') await api.ledger.requestStop(fired.taken.execution_id, 'setup');
      return { execution: await fold(api, fired.taken.execution_id) };
    }),
  );
}

interface Race {
  name: string;
  trials: Trial[];
  /** Each contender's move, one process each. */
  moves: Move[];
}

const CONTENDERS = 3;

/**
 * Every race, run by the same contender processes, one after another: each contender makes its move of each
 * race at the same instants as the others. Returns who won each trial of each race.
 */
async function runRaces(races: Race[]): Promise<boolean[][][]> {
  const roundMs = TRIALS * SPACING_MS + 1500;
  // Time for the processes to start (TypeScript compiled on the way) before the first race.
  const first = Date.now() + 8000;
  const byContender = await Promise.all(
    Array.from({ length: CONTENDERS }, async (_, n) => {
      const input: ContenderInput = {
        config: environment.config,
        holder: `contender-${n}`,
        rounds: races.map((race, r) => ({
          move: race.moves[n] ?? null,
          trials: race.trials,
          startAt: first + r * roundMs,
        })),
        spacingMs: SPACING_MS,
      };
      const file = join(scratch, `contender-${n}.json`);
      writeFileSync(file, JSON.stringify(input));
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', join(REPO_ROOT, 'packages/ledger/test/fixtures/race-contender.ts'), file],
        { cwd: REPO_ROOT, maxBuffer: 1 << 24, timeout: 180_000 },
      );
      return JSON.parse(stdout.trim().split('\n').at(-1) as string) as boolean[][];
    }),
  );
  // [contender][race][trial] → [race][trial][contender]
  return races.map((race, r) => race.trials.map((_, i) => byContender.map((rounds) => rounds[r]?.[i] as boolean)));
}

/** Exactly one winner per trial; returns the index of each trial's winner. */
function oneWinnerEach(t: Test, name: string, outcomes: boolean[][]): number[] {
  const winners = outcomes.map((won) => won.filter(Boolean).length);
  t.same(
    winners.filter((n) => n !== 1),
    [],
    `${name}: exactly one winner in each of ${outcomes.length} trials`,
  );
  return outcomes.map((won) => won.indexOf(true));
}

/** The run as its winner left it, read twice: the second read, a while later, finds it unchanged. */
async function settled(trials: Trial[]): Promise<Execution[]> {
  const first = await Promise.all(trials.map((trial) => fold(api, trial.execution.execution_id)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const again = await Promise.all(trials.map((trial) => fold(api, trial.execution.execution_id)));
  const reverted = again.filter((e, i) => JSON.stringify(e) !== JSON.stringify(first[i]));
  if (reverted.length > 0) throw new Error(`${reverted.length} runs changed after their race`);
  return first;
}

t.test('each conflicting pair, raced a hundred times: one winner, never reverted', async (t) => {
  const fireJob = job();
  const races: Race[] = [
    { name: 'claim against claim', trials: await prepare(TRIALS, 'waiting'), moves: ['claim', 'claim', 'claim'] },
    {
      name: 'a fire recorded by two workers',
      trials: Array.from({ length: TRIALS }, (_, i) => ({
        execution: { job: fireJob } as Execution,
        fireMs: Date.now() + 3_600_000 + i * 1000,
      })),
      moves: ['fire', 'fire'],
    },
    { name: 'end against stop', trials: await prepare(TRIALS, 'running'), moves: ['finish-succeeded', 'stop'] },
    { name: 'end against lost', trials: await prepare(TRIALS, 'running'), moves: ['finish-succeeded', 'lost', 'lost'] },
    { name: 'retry against lost', trials: await prepare(TRIALS, 'running', 1), moves: ['finish-failed', 'lost'] },
    { name: 'stopped against lost', trials: await prepare(TRIALS, 'stopping'), moves: ['finish-stopped', 'lost'] },
  ];
  const outcomes = await runRaces(races);
  const [claims, fires, endStop, endLost, retryLost, stopLost] = races.map((race, r) => ({
    trials: race.trials,
    winners: oneWinnerEach(t, race.name, outcomes[r] as boolean[][]),
  })) as Array<{ trials: Trial[]; winners: number[] }>;

  const after = async (race: { trials: Trial[] }) => settled(race.trials);
  if (!claims || !fires || !endStop || !endLost || !retryLost || !stopLost) throw new Error('races missing');
  t.same(
    (await after(claims)).filter((e, i) => e.state !== S.running || e.holder !== `contender-${claims.winners[i]}`),
    [],
    "claims: each run is running, held by its winner's worker",
  );
  t.comment(`fires: won by the first contender ${fires.winners.filter((w) => w === 0).length} times of ${TRIALS}`);
  t.same(
    (await after(endStop)).filter((e, i) => e.state !== (endStop.winners[i] === 0 ? S.succeeded : S.stopped)),
    [],
    'end against stop: succeeded where the end won, stopped where the stop won (its worker recorded the stop)',
  );
  t.same(
    (await after(endLost)).filter((e, i) => e.state !== (endLost.winners[i] === 0 ? S.succeeded : S.failed)),
    [],
    'end against lost: succeeded where the worker won, failed (lost worker) where a reaper did',
  );
  t.same(
    (await after(retryLost)).filter(
      (e, i) =>
        e.state !== S.scheduled ||
        e.attempt !== 2 ||
        e.attempts.length !== 1 ||
        !(retryLost.winners[i] === 0 ? /\(boom\)/ : /\(lost worker/).test(e.description),
    ),
    [],
    "retry against lost: each waits for its second attempt, once, with the winner's reason",
  );
  t.same(
    (await after(stopLost)).filter(
      (e, i) => e.state !== S.stopped || (stopLost.winners[i] === 1) !== e.description.startsWith('lost worker'),
    ),
    [],
    "stopped against lost: stopped, with the winner's description",
  );
});
