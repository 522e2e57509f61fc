/**
 * What a scenario started, stopped in reverse order when it ends, whatever happens. It is the `Teardown` the
 * shared test helpers (@tickwork/testing) expect, so the benchmarks start processes exactly as tests do.
 */
export class Scope {
  private readonly cleanups: Array<() => unknown> = [];

  teardown(fn: () => unknown): void {
    this.cleanups.push(fn);
  }

  async close(): Promise<void> {
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`bench: cleanup failed: ${(err as Error).message}`);
      }
    }
    this.cleanups.length = 0;
  }
}

export async function withScope<T>(fn: (scope: Scope) => Promise<T>): Promise<T> {
  const scope = new Scope();
  try {
    return await fn(scope);
  } finally {
    await scope.close();
  }
}
