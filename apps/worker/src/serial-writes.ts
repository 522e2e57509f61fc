/**
 * Runs async writes one at a time. A worker's lease renewals and its runs' final states go through one of
 * these: on FerretDB an update is read-modify-write, so a renewal racing a run's final write could put the
 * old `running` state back. (MongoDB's single-document updates are atomic; the order costs little there.)
 */
export class SerialWrites {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(write: () => Promise<T>): Promise<T> {
    const result = this.tail.then(write);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
