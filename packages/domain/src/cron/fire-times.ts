import { offsetAt } from './zoned-time.js';

/** What every trigger answers: the first fire at or after `fromMs`, or null when none comes. */
export interface FireTimeSource {
  nextFireTime(fromMs: number): number | null;
}

/** The next `count` fire times from `fromMs` on (a fire at `fromMs` itself included). */
export function nextFireTimes(trigger: FireTimeSource, fromMs: number, count: number): number[] {
  const times: number[] = [];
  for (let at = trigger.nextFireTime(fromMs); at !== null && times.length < count; at = trigger.nextFireTime(at + 1)) {
    times.push(at);
  }
  return times;
}

/** Every fire time in [fromMs, toMs]; the last `max` when there are more. */
export function fireTimesWithin(trigger: FireTimeSource, fromMs: number, toMs: number, max = Infinity): number[] {
  const times: number[] = [];
  for (let at = trigger.nextFireTime(fromMs); at !== null && at <= toMs; at = trigger.nextFireTime(at + 1)) {
    times.push(at);
    if (times.length > max) times.shift();
  }
  return times;
}

/**
 * A search from `from` that found `next` may be reused for any start in [from, next] when no UTC offset
 * change lies between them. Two offset changes within two weeks happen nowhere, so equal offsets at both
 * ends mean none between.
 */
export function sameOffsetBetween(from: number, next: number, timeZone: string): boolean {
  return next - from <= 14 * 86_400_000 && offsetAt(from, timeZone) === offsetAt(next, timeZone);
}
