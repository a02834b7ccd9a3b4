import path from 'node:path';
import type { Database } from '../db';
import { backupSqlite, listBackups, type BackupInfo } from '../db/backup';
import { appendAudit, SYSTEM_ACTOR, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { APP_VERSION } from '../base/version';
import type { Kernel } from '../base/kernel';
import type { SiteSettings } from '../../shared/contract/system';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from '../../shared/domain/site-time';
import { SETTING_KEYS, type SettingsStore } from './settings';

export class SystemService {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly kernel: Kernel,
    private readonly settings: SettingsStore,
    readonly dataDir: string,
    readonly backupDir: string,
  ) {}

  info() {
    return Promise.resolve({
      version: APP_VERSION,
      engine: this.db.engine,
      serverTime: this.kernel.nowIso(),
      timeZone: this.kernel.timeZone,
      dataDir: this.db.engine === 'sqlite' ? this.dataDir : null,
    });
  }

  /** The site settings an administrator edits on 系统与备份. */
  async siteSettings(): Promise<SiteSettings> {
    return {
      updaterUrl: (await this.settings.get(SETTING_KEYS.updaterUrl)) ?? '',
      timeZone: this.kernel.timeZone,
    };
  }

  /** Save them (one transaction; an audit entry per changed key); the new time zone applies at once. */
  async updateSiteSettings(actor: Actor, input: SiteSettings): Promise<SiteSettings> {
    await this.settings.setMany(actor, {
      [SETTING_KEYS.updaterUrl]: input.updaterUrl,
      [SETTING_KEYS.timeZone]: input.timeZone,
    });
    this.kernel.timeZone = input.timeZone;
    return this.siteSettings();
  }

  /** Read the stored time zone into the kernel at start (an unknown stored name falls back, logged by the caller). */
  async loadTimeZone(): Promise<string | null> {
    const stored = await this.settings.get(SETTING_KEYS.timeZone);
    if (stored && isValidTimeZone(stored)) {
      this.kernel.timeZone = stored;
      return null;
    }
    if (stored) {
      this.kernel.timeZone = DEFAULT_TIME_ZONE;
      return `设置中的时区「${stored}」无法识别，已改用 ${DEFAULT_TIME_ZONE}`;
    }
    return null;
  }

  async backupNow(actor: Actor): Promise<BackupInfo> {
    if (this.db.engine !== 'sqlite') {
      throw appError('BAD_REQUEST', 'PostgreSQL 数据库请使用 pg_dump 或数据库服务器自身的备份。');
    }
    const info = await backupSqlite(this.db.knex, this.backupDir);
    await this.kernel.transaction((trx) =>
      appendAudit(trx, {
        actor,
        action: 'system.backup',
        entity: 'backup',
        entityId: info.fileName,
        after: info,
      }),
    );
    return info;
  }

  listBackups(): Promise<BackupInfo[]> {
    return Promise.resolve(listBackups(this.backupDir));
  }

  /** Back up on a schedule (SQLite only). Failures are logged, never fatal to the running site. */
  startSchedule(minutes: number, log: (msg: string) => void): void {
    if (this.db.engine !== 'sqlite' || minutes <= 0) return;
    this.timer = setInterval(() => {
      this.backupNow(SYSTEM_ACTOR).then(
        (b) => log(`scheduled backup ${b.fileName} ok`),
        (err: unknown) => log(`scheduled backup failed: ${String(err)}`),
      );
    }, minutes * 60_000);
    this.timer.unref();
  }

  stopSchedule(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

export function defaultBackupDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}
