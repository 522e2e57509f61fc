/** Why a fire or a run is recorded without being run: the record's description and result. */
export interface Refusal {
  description: string;
  result: string;
}

/** A fire picked up later than its grace is recorded, not run (APScheduler's misfire_grace_time). */
export function misfireRefusal(fireMs: number, nowMs: number, graceSec: number): Refusal | null {
  const lateMs = nowMs - fireMs;
  if (lateMs <= graceSec * 1000) return null;
  return {
    description: `Run time of job was missed by ${Math.round(lateMs / 1000)} s (misfire grace ${graceSec} s)`,
    result: '',
  };
}

/** The job already runs `maxInstances` times across the fleet. */
export function instanceRefusal(maxInstances: number): Refusal {
  return {
    description: `Execution of job skipped: maximum number of running instances reached (${maxInstances})`,
    result: '',
  };
}

/** The job class cannot be run here (not found in JOB_CLASS_PACKAGES, or failed to load). */
export function classRefusal(error: Error): Refusal {
  return { description: error.message, result: error.stack ?? error.message };
}
