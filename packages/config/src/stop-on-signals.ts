/** The logger calls a stop makes (pino's and Fastify's loggers have them). */
export interface StopLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What stopOnSignals listens to and exits through: the process, or a test's stand-in. */
export interface SignalTarget {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): void;
}

export interface StopOnSignalsOptions {
  /** The graceful stop: exit 0 when it resolves, 1 (logged `unclean stop`) when it rejects. */
  close: () => Promise<void>;
  log: StopLog;
  /** A stop still going on after this long is taken for hung: exit 1. None: the stop is waited for. */
  graceMs?: number;
  target?: SignalTarget;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * How a service process stops: the first SIGINT or SIGTERM starts `close()`; its end exits the process.
 * Signals after the first are ignored rather than taken as "exit now": `npm start` in a terminal gets
 * Ctrl-C's SIGINT to every child, then sends each its own SIGTERM, and that second one must not cut a
 * worker's grace for its runs short.
 */
export function stopOnSignals(options: StopOnSignalsOptions): void {
  const { close, log, graceMs, target = process } = options;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Not unref'd: a close hung on nothing the event loop counts must still end in exit 1, not a silent 0.
    const timer =
      graceMs === undefined
        ? undefined
        : setTimeout(() => {
            log.error({ grace_ms: graceMs }, 'stop did not finish in time; exiting');
            target.exit(1);
          }, graceMs);
    close().then(
      () => {
        clearTimeout(timer);
        target.exit(0);
      },
      (err) => {
        clearTimeout(timer);
        log.error({ err }, 'unclean stop');
        target.exit(1);
      },
    );
  };
  // Listening for good (not once): a second signal must find a listener, or it would end the process.
  for (const signal of SIGNALS) target.on(signal, () => stop(signal));
}
