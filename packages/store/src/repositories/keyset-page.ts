/** Where a page ended: the sort key of its last item. The next page starts right after it. */
export interface PageMark {
  time: Date;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Set when more items follow: pass it back for the next page. */
  next: PageMark | null;
}

/**
 * Keyset pagination over (time field, _id): no skip, so page N costs what page 1 does, and items added
 * meanwhile are not seen twice. `newestFirst` sorts the time descending (ties by _id ascending).
 */
export function keysetQuery(field: string, newestFirst: boolean, after: PageMark | undefined) {
  const sort: Record<string, 1 | -1> = { [field]: newestFirst ? -1 : 1, _id: 1 };
  if (!after) return { filter: {}, sort };
  const beyond = newestFirst ? '$lt' : '$gt';
  return {
    filter: { $or: [{ [field]: { [beyond]: after.time } }, { [field]: after.time, _id: { $gt: after.id } }] },
    sort,
  };
}

/** Cuts the one extra item fetched to learn whether more follow. */
export function toPage<T extends { _id: string }>(docs: T[], limit: number, time: (doc: T) => Date): Page<T> {
  if (docs.length <= limit) return { items: docs, next: null };
  const items = docs.slice(0, limit);
  const last = items[items.length - 1] as T;
  return { items, next: { time: time(last), id: last._id } };
}
