/**
 * 准考证号 (admission-ticket numbers): every approved or pending candidate of a sitting without one gets
 * one; numbers imported with the roster are kept. Format: YYYY (the year the sitting starts) + sitting id
 * (3 digits, more when the id is larger) + a 4-digit sequence after the highest number with that prefix
 * anywhere in the database, so numbers stay unique across sittings and sites sharing a PostgreSQL server.
 */
import type { Knex } from 'knex';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { isPostgres } from '../db';

/** PostgreSQL advisory lock key for 准考证号 generation (two admins pressing the button at once). */
const TICKET_LOCK_KEY = 727003;

/** The ticket number's prefix: YYYY + sitting id (3 digits, more when the id is larger). */
export function ticketNumberPrefix(sitting: { id: number; startDate: string }): string {
  return `${sitting.startDate.slice(0, 4)}${String(sitting.id).padStart(3, '0')}`;
}

/** Assign the missing numbers inside the caller's transaction, with one audit entry when any is given. */
export async function assignTicketNumbers(
  trx: Knex.Transaction,
  actor: Actor,
  sitting: { id: number; startDate: string },
): Promise<{ assigned: number; kept: number }> {
  if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(?)', [TICKET_LOCK_KEY]);
  const candidates = await trx('candidates')
    .where({ sitting_id: sitting.id })
    .whereIn('review_status', ['approved', 'pending'])
    .orderBy('id')
    .select<Array<{ id: number; admission_ticket_no: string | null }>>('id', 'admission_ticket_no');
  const missing = candidates.filter((c) => !c.admission_ticket_no?.trim());
  const kept = candidates.length - missing.length;
  if (missing.length === 0) return { assigned: 0, kept };
  const prefix = ticketNumberPrefix(sitting);
  const taken = await trx('candidates')
    .where('admission_ticket_no', 'like', `${prefix}%`)
    .select<Array<{ admission_ticket_no: string }>>('admission_ticket_no');
  const pattern = new RegExp(`^${prefix}(\\d{4})$`);
  let seq = 0;
  for (const row of taken) {
    const m = pattern.exec(row.admission_ticket_no);
    if (m?.[1]) seq = Math.max(seq, Number(m[1]));
  }
  if (seq + missing.length > 9999) {
    throw appError(
      'CONFLICT',
      `准考证号前缀 ${prefix} 的 4 位序号不够用（已用到 ${seq}，还需 ${missing.length} 个）`,
    );
  }
  const numbers: Array<{ id: number; ticketNo: string }> = [];
  for (const c of missing) {
    seq += 1;
    const ticketNo = `${prefix}${String(seq).padStart(4, '0')}`;
    await trx('candidates').where({ id: c.id }).update({ admission_ticket_no: ticketNo });
    numbers.push({ id: Number(c.id), ticketNo });
  }
  await appendAudit(trx, {
    actor,
    action: 'candidates.assignTicketNumbers',
    entity: 'sitting',
    entityId: sitting.id,
    after: {
      assigned: numbers.length,
      kept,
      first: numbers[0]?.ticketNo ?? null,
      last: numbers[numbers.length - 1]?.ticketNo ?? null,
    },
  });
  return { assigned: numbers.length, kept };
}
