/** Calendar facts as Python's datetime/calendar modules give them (weekday 0 = Monday). */

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Python `date.weekday()`: Monday 0 … Sunday 6. */
export function weekday(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

/** Python `date.isocalendar()[1]`. */
export function isoWeek(year: number, month: number, day: number): number {
  const date = Date.UTC(year, month - 1, day);
  const thursday = date + (3 - weekday(year, month, day)) * 86_400_000;
  const thursdayYear = new Date(thursday).getUTCFullYear();
  return Math.floor((thursday - Date.UTC(thursdayYear, 0, 1)) / (7 * 86_400_000)) + 1;
}
