/**
 * When `npm start` restarts a child that died, as a process manager would: at once the first time, then
 * after a delay that doubles with each death in a row that came soon after a start (1 s, 2 s, 4 s, 8 s);
 * a child that ran STABLE_MS before dying starts the count again. It gives up — the stack stops, showing
 * the child's last lines — when the child keeps dying at start-up (GIVE_UP_AFTER quick deaths in a row), or
 * exits with the code our processes use for a configuration error, which no restart can mend.
 */
export const STABLE_MS = 30_000;
export const GIVE_UP_AFTER = 5;
/** What apps/api and apps/worker exit with when their configuration is refused. */
export const CONFIG_ERROR_EXIT_CODE = 2;

export type RestartDecision =
  | { restart: true; delayMs: number; quickDeathsInARow: number }
  | { restart: false; why: string };

export class RestartPolicy {
  private quickDeathsInARow = 0;

  /** `ranMs`: how long the child ran before it exited; `code`: its exit code (null when a signal ended it). */
  onExit(ranMs: number, code: number | null): RestartDecision {
    if (code === CONFIG_ERROR_EXIT_CODE) return { restart: false, why: 'its configuration was refused' };
    if (ranMs >= STABLE_MS) this.quickDeathsInARow = 0;
    else this.quickDeathsInARow += 1;
    if (this.quickDeathsInARow >= GIVE_UP_AFTER) {
      return {
        restart: false,
        why: `it died ${this.quickDeathsInARow} times in a row within ${STABLE_MS / 1000} s of starting`,
      };
    }
    const delayMs = this.quickDeathsInARow === 0 ? 0 : 1000 * 2 ** (this.quickDeathsInARow - 1);
    return { restart: true, delayMs, quickDeathsInARow: this.quickDeathsInARow };
  }
}
