/**
 * A freshness check that concurrent callers share. A caller arriving while a check is on its way gets the
 * next one (the running check may have read the feed before the caller's change was answered), and every
 * caller arriving meanwhile shares that next one: a burst of requests costs at most two reads, and each
 * answer covers every change made before its caller asked.
 */
export class SharedCheck {
  private checking: Promise<boolean> | null = null;
  private next: Promise<boolean> | null = null;

  constructor(private readonly check: () => Promise<boolean>) {}

  run(): Promise<boolean> {
    if (!this.checking) {
      this.checking = this.check().finally(() => {
        this.checking = null;
      });
      return this.checking;
    }
    this.next ??= this.checking.then(
      () => this.afterCurrent(),
      () => this.afterCurrent(),
    );
    return this.next;
  }

  private afterCurrent(): Promise<boolean> {
    this.next = null;
    return this.run();
  }
}
