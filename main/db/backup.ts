import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { SQLITE_FILE_NAME, sqliteConfig } from './index';

export interface BackupInfo {
  fileName: string;
  sizeBytes: number;
  createdAt: string;
  integrity: string;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

const BACKUP_RE = /^exam-site-(\d{8}T\d{6}\d{3}Z)\.sqlite$/;

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:.]/g, '');
}

/** Run `PRAGMA integrity_check` on a database file opened read-only in its own connection. */
export async function integrityCheck(file: string): Promise<string> {
  const k = knexFactory({
    client: 'sqlite3',
    // knex ORs flags into READWRITE|CREATE (OPEN_READONLY alone gives SQLITE_MISUSE): ask via the URI.
    connection: { filename: `${pathToFileURL(file).href}?mode=ro`, flags: ['OPEN_URI'] },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  try {
    const rows = await k.raw<Array<{ integrity_check: string }>>('PRAGMA integrity_check');
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    await k.destroy();
  }
}

/**
 * Online backup of the live SQLite database: `VACUUM INTO` writes a consistent, compact copy (no -wal/-shm
 * sidecars) while the database stays in use, then the copy is checked with integrity_check. A copy that
 * fails the check is renamed *.corrupt and reported, never left looking like a good backup.
 */
export async function backupSqlite(knex: Knex, backupDir: string, keep = 48): Promise<BackupInfo> {
  fs.mkdirSync(backupDir, { recursive: true });
  const createdAt = new Date();
  const fileName = `exam-site-${stamp(createdAt)}.sqlite`;
  const target = path.join(backupDir, fileName);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  await knex.raw('VACUUM INTO ?', [partial]);
  const integrity = await integrityCheck(partial);
  if (integrity !== 'ok') {
    fs.renameSync(partial, `${target}.corrupt`);
    throw new BackupError(`备份文件完整性检查未通过：${integrity}`);
  }
  fs.renameSync(partial, target);
  pruneBackups(backupDir, keep);
  return { fileName, sizeBytes: fs.statSync(target).size, createdAt: createdAt.toISOString(), integrity };
}

export function listBackups(backupDir: string): BackupInfo[] {
  if (!fs.existsSync(backupDir)) return [];
  return fs
    .readdirSync(backupDir)
    .filter((f) => BACKUP_RE.test(f))
    .sort()
    .reverse()
    .map((fileName) => {
      const st = fs.statSync(path.join(backupDir, fileName));
      return { fileName, sizeBytes: st.size, createdAt: st.mtime.toISOString(), integrity: 'ok' };
    });
}

function pruneBackups(backupDir: string, keep: number): void {
  const all = listBackups(backupDir);
  for (const b of all.slice(keep)) fs.rmSync(path.join(backupDir, b.fileName), { force: true });
}

/**
 * Replace the database in `dataDir` with a backup. Run with the application stopped. The backup is
 * checked first; the current database (with its -wal/-shm) is kept beside it as *.before-restore-<time>,
 * and stale sidecars are removed so they cannot be replayed onto the restored file.
 */
export async function restoreSqlite(
  dataDir: string,
  backupFile: string,
): Promise<{ restoredFrom: string; previousSavedAs: string | null }> {
  if (!fs.existsSync(backupFile)) throw new BackupError(`找不到备份文件：${backupFile}`);
  const integrity = await integrityCheck(backupFile);
  if (integrity !== 'ok') throw new BackupError(`备份文件已损坏，未恢复：${integrity}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const live = path.join(dataDir, SQLITE_FILE_NAME);
  let previousSavedAs: string | null = null;
  if (fs.existsSync(live)) {
    // Fold the WAL into the file first so the saved copy is complete.
    // A database too damaged to open is kept exactly as it is (with its sidecars) instead.
    const k = knexFactory(sqliteConfig(live));
    try {
      await k.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // too damaged to checkpoint: keep it as it is
    } finally {
      await k.destroy();
    }
    previousSavedAs = `${live}.before-restore-${stamp()}`;
    fs.renameSync(live, previousSavedAs);
    for (const side of ['-wal', '-shm']) {
      if (fs.existsSync(live + side)) fs.renameSync(live + side, previousSavedAs + side);
    }
  }
  for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(live + side, { force: true });
  fs.copyFileSync(backupFile, `${live}.restoring`);
  fs.renameSync(`${live}.restoring`, live);
  return { restoredFrom: backupFile, previousSavedAs };
}
