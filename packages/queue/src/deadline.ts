/** Redis did not answer in time: the caller answers 503 rather than hang (our clients wait out an outage). */
export class RedisUnavailableError extends Error {
  constructor(what: string) {
    super(`Redis did not answer in time: ${what}`);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * `work`, or RedisUnavailableError after `ms`. Our Redis clients queue commands through an outage rather
 * than fail them (BullMQ's blocking reads need that); a request that must answer promptly bounds its wait
 * here. The command may still run when Redis is back: callers make sure that is harmless.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableError(what)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
