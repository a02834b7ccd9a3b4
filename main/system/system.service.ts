import path from 'node:path';
import type { Database } from '../db';
import { backupSqlite, listBackups, type BackupInfo } from '../db/backup';
import { appendAudit, SYSTEM_ACTOR, type Actor } from '../audit/chain';
import { appError } from '../core/errors';
import { APP_VERSION } from '../core/version';

export class SystemService {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    readonly dataDir: string,
    readonly backupDir: string,
  ) {}

  info() {
    return Promise.resolve({
      version: APP_VERSION,
      engine: this.db.engine,
      serverTime: new Date().toISOString(),
      dataDir: this.db.engine === 'sqlite' ? this.dataDir : null,
    });
  }

  async backupNow(actor: Actor): Promise<BackupInfo> {
    if (this.db.engine !== 'sqlite') {
      throw appError('BAD_REQUEST', 'PostgreSQL 数据库请使用 pg_dump 或数据库服务器自身的备份。');
    }
    const info = await backupSqlite(this.db.knex, this.backupDir);
    await this.db.knex.transaction((trx) =>
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
