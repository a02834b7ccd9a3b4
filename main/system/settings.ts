import type { Knex } from 'knex';
import { appendAudit, type Actor } from '../audit/chain';
import type { Kernel } from '../base/kernel';

export class SettingsStore {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.knex('settings').where({ key }).first<{ value: string } | undefined>();
    return row?.value;
  }

  async set(actor: Actor, key: string, value: string): Promise<void> {
    await this.kernel.transaction((trx) => this.write(trx, actor, key, value, false));
  }

  /** Several keys in one transaction: one audit entry per key that changes, nothing for unchanged ones. */
  async setMany(actor: Actor, values: Record<string, string>): Promise<void> {
    await this.kernel.transaction(async (trx) => {
      for (const [key, value] of Object.entries(values)) await this.write(trx, actor, key, value, true);
    });
  }

  private async write(
    trx: Knex.Transaction,
    actor: Actor,
    key: string,
    value: string,
    skipUnchanged: boolean,
  ): Promise<void> {
    const before = await trx('settings').where({ key }).first<{ value: string } | undefined>();
    if (skipUnchanged && before?.value === value) return;
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
  }
}

/** Setting keys (the desktop shell reads `updater.url` through Core.getSetting). */
export const SETTING_KEYS = {
  updaterUrl: 'updater.url',
  readerConfig: 'reader.config',
  printing: 'printing',
  timeZone: 'site.timeZone',
} as const;
