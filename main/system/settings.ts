import type { Knex } from 'knex';
import { appendAudit, type Actor } from '../audit/chain';

export class SettingsStore {
  constructor(private readonly knex: Knex) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.knex('settings').where({ key }).first<{ value: string } | undefined>();
    return row?.value;
  }

  async set(actor: Actor, key: string, value: string): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const before = await trx('settings').where({ key }).first<{ value: string } | undefined>();
      if (before) await trx('settings').where({ key }).update({ value });
      else await trx('settings').insert({ key, value });
      await appendAudit(trx, {
        actor,
        action: 'settings.set',
        entity: 'setting',
        entityId: key,
        before: before?.value ?? null,
        after: value,
      });
    });
  }
}

/** Setting keys (the desktop shell reads `updater.url` through Core.getSetting). */
export const SETTING_KEYS = {
  updaterUrl: 'updater.url',
  readerConfig: 'reader.config',
  printing: 'printing',
} as const;
