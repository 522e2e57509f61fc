/**
 * Reads tap's TAP output line by line and keeps each failed assertion with the subtests around it and its
 * diagnostics, so the suite can end with a short list of what failed: in a long CI log, often shown only by
 * its tail, the failure is otherwise thousands of lines above the summary.
 */
export class TapFailures {
  /** The open subtests, by level (4 spaces of indentation a level), with the failures counted when each opened. */
  private readonly open: { name: string; failuresBefore: number }[] = [];
  private readonly failures: string[][] = [];
  /** The failure whose YAML diagnostics ("---" to "...") are being read. */
  private reading: { lines: string[]; started: boolean } | undefined;

  constructor(private readonly maxDiagnosticLines = 30) {}

  push(line: string): void {
    const text = line.trim();
    if (this.reading) {
      if (!this.reading.started) {
        this.reading.started = text === '---';
        if (this.reading.started) return;
        this.reading = undefined;
      } else if (text === '...') {
        this.reading = undefined;
        return;
      } else {
        if (this.reading.lines.length <= this.maxDiagnosticLines) this.reading.lines.push(line);
        return;
      }
    }
    const level = Math.floor((line.length - line.trimStart().length) / 4);
    const subtest = /^# Subtest: (.*)$/.exec(text);
    if (subtest) {
      this.open.length = level;
      this.open[level] = { name: subtest[1] ?? '', failuresBefore: this.failures.length };
      return;
    }
    const notOk = /^not ok \d+ - (.*?)(?:\s+# time=\S+)?$/.exec(text);
    if (!notOk) return;
    const closing = this.open[level]?.name === notOk[1] ? this.open[level] : undefined;
    const path = this.open.slice(0, level).map((subtest) => subtest.name);
    this.open.length = level;
    // A subtest's own "not ok" repeats the failures inside it; it is listed only when nothing inside failed
    // (a file that crashed or timed out, a subtest that threw).
    if (closing && this.failures.length > closing.failuresBefore) return;
    const entry = [[...path, notOk[1] ?? ''].join(' > ')];
    this.failures.push(entry);
    this.reading = { lines: entry, started: false };
  }

  get count(): number {
    return this.failures.length;
  }

  /** "failed: a > b > c" and its diagnostics, for each failure; empty when none failed. */
  summary(): string {
    return this.failures.map(([name, ...diagnostics]) => [`failed: ${name}`, ...diagnostics].join('\n')).join('\n');
  }
}
