/**
 * Which exam sessions are running now: from the moment the room opens (starts_at − opens_minutes_before)
 * until the end (ends_at). The desktop updater asks this before it installs an update on quit (design.md,
 * desktop shell): an installer must never restart a workstation in the middle of a session.
 */
import type { Knex } from 'knex';

/** opens_minutes_before is at most 180 (shared/contract/sessions.ts). */
const MAX_OPENS_MINUTES = 180;

export interface ActiveSession {
  id: number;
  name: string;
  startsAt: string;
  endsAt: string;
}

export async function activeExamSessions(knex: Knex, now: Date): Promise<ActiveSession[]> {
  const latestStart = new Date(now.getTime() + MAX_OPENS_MINUTES * 60_000).toISOString();
  const rows = await knex('exam_sessions')
    .where('ends_at', '>=', now.toISOString())
    .andWhere('starts_at', '<=', latestStart)
    .orderBy('starts_at')
    .select<
      Array<{ id: number; name: string; starts_at: string; ends_at: string; opens_minutes_before: number }>
    >('id', 'name', 'starts_at', 'ends_at', 'opens_minutes_before');
  return rows
    .filter((r) => Date.parse(r.starts_at) - Number(r.opens_minutes_before) * 60_000 <= now.getTime())
    .map((r) => ({ id: Number(r.id), name: r.name, startsAt: r.starts_at, endsAt: r.ends_at }));
}
