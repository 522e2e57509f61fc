import {
  ExecutionEvent,
  ExecutionState,
  FINAL_STATES,
  type JobSummary,
  jobSummary,
  type LedgerEntry,
  newId,
  recordedEntry,
  stepEntry,
} from '@tickwork/domain';
import { type Store, toLedgerDocument } from '@tickwork/store';
import type { Document } from 'mongodb';
import type { LedgerLog } from './ledger-log.js';

/** An execution that ended elsewhere (an older store, a benchmark's history), to be written as it ended. */
export interface EndedExecution {
  execution_id: string;
  job: JobSummary;
  scheduled_time: number;
  state: ExecutionState;
  hostname: string;
  pid: number;
  task_id: string;
  description: string;
  result: string;
  output: string;
  started_time: number;
  ended_time: number;
}

/** The entries an ended execution is made of: recorded running and ended, or recorded refused. */
export function entriesOfEnded(e: EndedExecution): LedgerEntry[] {
  const base = { execution_id: e.execution_id, job: e.job, scheduled_time: e.scheduled_time };
  if (e.state === ExecutionState.scheduledError) {
    return [
      recordedEntry(
        { ...base, state: ExecutionState.scheduledError, description: e.description, result: e.result },
        e.ended_time,
        'import',
      ),
    ];
  }
  const holder = { holder: '', hostname: e.hostname, pid: e.pid, task_id: e.task_id };
  return [
    recordedEntry({ ...base, state: ExecutionState.running, holder }, e.started_time, 'import'),
    stepEntry(
      { execution_id: e.execution_id, scheduled_time: e.scheduled_time, attempt: 1, state: ExecutionState.running },
      ExecutionEvent.ended,
      e.state,
      { description: e.description, result: e.result, output: e.output },
      e.ended_time,
      'import',
    ),
  ];
}

const BATCH = 1000;

/**
 * Writes ended executions into the ledger a thousand entries per insert; ones already there are left as
 * they are (so an import can run again). Returns how many executions were read.
 */
export async function importEndedExecutions(
  store: Store,
  executions: AsyncIterable<EndedExecution> | Iterable<EndedExecution>,
): Promise<number> {
  let batch: Document[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await store.ledger.collection.insertMany(batch, { ordered: false }).catch((err: { writeErrors?: unknown[] }) => {
      // Entries already in the ledger stay as they are; anything else is a real failure.
      const errors = (err.writeErrors ?? [err]) as Array<{ code?: number }>;
      if (errors.some((e) => e.code !== 11000)) throw err;
    });
    batch = [];
  };
  for await (const execution of executions) {
    count++;
    for (const entry of entriesOfEnded(execution)) batch.push(toLedgerDocument(entry) as unknown as Document);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return count;
}

/** The execution documents of Tickwork before the ledger: one mutable document per execution. */
interface LegacyExecution {
  _id: string;
  state: ExecutionState;
  hostname?: string;
  pid?: number;
  task_id?: string;
  description?: string;
  result?: string;
  output?: string;
  scheduled_time: Date;
  updated_time: Date;
  started_time?: Date | null;
  job: JobSummary;
}

const MIGRATED = 'migration:executions-to-ledger';

/**
 * Once per store: the executions of the collection Tickwork kept before the run ledger are written into
 * the ledger as they ended. One still live then (its worker was stopped for the upgrade) is recorded
 * failed, saying so. The old collection is left in place.
 */
export async function migrateLegacyExecutions(store: Store, log: LedgerLog): Promise<void> {
  if (await store.meta.get(MIGRATED)) return;
  const db = store.connection.db;
  const exists = db && (await db.listCollections({ name: 'executions' }, { nameOnly: true }).toArray()).length > 0;
  if (db && exists) {
    const legacy = db.collection<LegacyExecution>('executions').find({}, { batchSize: BATCH });
    const count = await importEndedExecutions(
      store,
      (async function* () {
        for await (const doc of legacy) {
          const ended = FINAL_STATES.includes(doc.state);
          yield {
            execution_id: doc._id,
            job: jobSummary(doc.job),
            scheduled_time: new Date(doc.scheduled_time).getTime(),
            state: ended ? doc.state : ExecutionState.failed,
            hostname: doc.hostname ?? '',
            pid: doc.pid ?? -1,
            task_id: doc.task_id ?? '',
            description: ended
              ? (doc.description ?? '')
              : `interrupted: still ${doc.state} when Tickwork moved to the run ledger`,
            result: doc.result ?? '',
            output: doc.output ?? '',
            started_time: new Date(doc.started_time ?? doc.scheduled_time).getTime(),
            ended_time: new Date(doc.updated_time).getTime(),
          };
        }
      })(),
    );
    log.info({ executions: count }, 'executions moved into the run ledger');
  }
  await store.meta.set(MIGRATED, { at: new Date().toISOString(), id: newId() });
}
