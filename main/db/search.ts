import type { Knex } from 'knex';

/** LIKE with an explicit escape character: SQLite's LIKE has none unless the query names one. */
const LIKE = "?? like ? escape '\\'";

function escapeLike(s: string): string {
  return s.replace(/[%_\\]/g, (m) => `\\${m}`);
}

/**
 * What staff type into a search box: `text` anywhere in any of `columns`, or — when it looks like the
 * last 4–6 characters of an ID number — the tail of `idColumn`. Only the tail is searchable: the full
 * number is never needed to find someone. `%` and `_` are ordinary characters.
 */
export function whereSearchText(
  w: Knex.QueryBuilder,
  text: string,
  columns: readonly string[],
  idColumn: string,
): void {
  const s = escapeLike(text);
  for (const column of columns) void w.orWhereRaw(LIKE, [column, `%${s}%`]);
  if (/^[0-9Xx]{4,6}$/.test(text)) void w.orWhereRaw(LIKE, [idColumn, `%${s.toUpperCase()}`]);
}

/** `column` starts with `prefix`, taken literally (`%` and `_` are ordinary characters). */
export function whereStartsWith(w: Knex.QueryBuilder, column: string, prefix: string): void {
  void w.whereRaw(LIKE, [column, `${escapeLike(prefix)}%`]);
}
