/**
 * 开考前设备自检 (anchors.md A.4 item 10: a start-of-day equipment test like Pearson requires of its
 * centres): everything the day depends on that the host can check by itself, in one list a person can
 * read and print — the ID card reader, the default printer of each document, free disk space, backups,
 * the database and the audit chain. The camera and the screen's clock are checked by the screen itself.
 * Each run is recorded in the audit trail, so an inspector sees when the site checked its equipment.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import type { Kernel } from '../base/kernel';
import type { DayCheck, DayCheckItem } from '../../shared/contract/devices';
import { DOCUMENT_KINDS, type DocumentKindName } from '../../shared/contract/printing';
import { appendAudit, type Actor } from '../audit/chain';
import { verifyAuditChain } from '../audit/chain';
import { isPostgres } from '../db';
import { listBackups } from '../db/backup';
import type { PrinterListing, PrintingSettings } from '../printing/types';
import type { ReaderManager } from './reader-manager';

/** Below this much free space the check warns; below FAIL_BYTES it fails (a backup would not fit). */
export const DISK_WARN_BYTES = 2 * 1024 ** 3;
export const DISK_FAIL_BYTES = 200 * 1024 ** 2;
/** A backup older than this is reported as a warning. */
export const BACKUP_MAX_AGE_HOURS = 24;

/** The documents printed on the exam day: their default printers are checked. */
const DOCUMENTS = Object.entries(DOCUMENT_KINDS)
  .filter(([, d]) => d.checkedOnExamDay)
  .map(([kind, d]) => [kind as DocumentKindName, d.name] as const);

export interface DayCheckDeps {
  kernel: Kernel;
  readers: Pick<ReaderManager, 'selfTest'>;
  printing: { settings(): Promise<PrintingSettings>; printers(): Promise<PrinterListing> };
  dataDir: string;
  backupDir: string;
}

function gib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

async function readerItem(deps: DayCheckDeps): Promise<DayCheckItem> {
  const test = await deps.readers.selfTest();
  const detail = test.steps.map((s) => `${s.ok ? '✓' : '✗'} ${s.step}：${s.detail}`).join('；');
  return { key: 'reader', label: '身份证读卡器', status: test.ok ? 'ok' : 'fail', detail };
}

async function printerItems(deps: DayCheckDeps): Promise<DayCheckItem[]> {
  const [settings, listing] = await Promise.all([deps.printing.settings(), deps.printing.printers()]);
  return DOCUMENTS.map(([kind, name]): DayCheckItem => {
    const label = `${name}打印机`;
    const target = settings.defaults[kind];
    if (!target) {
      return { key: 'printer', label, status: 'warn', detail: `未设置${name}的默认打印机（打印设置）` };
    }
    const found = listing.printers.find(
      (p) => p.target.kind === target.kind && p.target.name === target.name,
    );
    if (!found) {
      const why = listing.warnings.length > 0 ? `：${listing.warnings.join('；')}` : '';
      return { key: 'printer', label, status: 'fail', detail: `找不到打印机“${target.name}”${why}` };
    }
    if (target.kind === 'folder') {
      try {
        fs.mkdirSync(target.name, { recursive: true });
        fs.accessSync(target.name, fs.constants.W_OK);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        return { key: 'printer', label, status: 'fail', detail: `文件夹 ${target.name} 不可写入：${reason}` };
      }
    }
    const state = `${found.displayName}：${found.status === 'ready' ? '就绪' : found.status}`;
    const message = found.statusMessage ? `（${found.statusMessage}）` : '';
    const ok = found.status === 'ready' || found.status === 'busy';
    return { key: 'printer', label, status: ok ? 'ok' : 'fail', detail: state + message };
  });
}

async function diskItem(deps: DayCheckDeps): Promise<DayCheckItem> {
  const st = await fs.promises.statfs(deps.dataDir);
  const free = Number(st.bavail) * Number(st.bsize);
  const detail = `数据文件夹 ${deps.dataDir} 所在磁盘可用 ${gib(free)}`;
  if (free < DISK_FAIL_BYTES) {
    return { key: 'disk', label: '磁盘空间', status: 'fail', detail: `${detail}，空间不足` };
  }
  if (free < DISK_WARN_BYTES) {
    return { key: 'disk', label: '磁盘空间', status: 'warn', detail: `${detail}，空间偏少` };
  }
  return { key: 'disk', label: '磁盘空间', status: 'ok', detail };
}

function backupItem(deps: DayCheckDeps, now: Date): DayCheckItem {
  const label = '数据备份';
  if (isPostgres(deps.kernel.knex)) {
    return {
      key: 'backup',
      label,
      status: 'warn',
      detail: 'PostgreSQL 数据库：请确认服务器上的 pg_dump 定时备份',
    };
  }
  try {
    fs.mkdirSync(deps.backupDir, { recursive: true });
    fs.accessSync(deps.backupDir, fs.constants.W_OK);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      key: 'backup',
      label,
      status: 'fail',
      detail: `备份文件夹 ${deps.backupDir} 不可写入：${reason}`,
    };
  }
  const newest = listBackups(deps.backupDir)[0];
  if (!newest) {
    return {
      key: 'backup',
      label,
      status: 'warn',
      detail: `备份文件夹 ${deps.backupDir} 中还没有备份，请先“立即备份”`,
    };
  }
  const hours = (now.getTime() - Date.parse(newest.createdAt)) / 3_600_000;
  const detail = `最近一次备份 ${newest.fileName}（${hours < 1 ? `${Math.max(0, Math.round(hours * 60))} 分钟前` : `${Math.round(hours)} 小时前`}）`;
  return { key: 'backup', label, status: hours > BACKUP_MAX_AGE_HOURS ? 'warn' : 'ok', detail };
}

async function databaseItem(knex: Knex): Promise<DayCheckItem> {
  const label = '数据库';
  try {
    if (isPostgres(knex)) {
      await knex.raw('select 1');
      return { key: 'database', label, status: 'ok', detail: 'PostgreSQL 连接正常' };
    }
    const rows = (await knex.raw<Array<{ quick_check: string }>>('PRAGMA quick_check')).map(
      (r) => r.quick_check,
    );
    const ok = rows.length === 1 && rows[0] === 'ok';
    return {
      key: 'database',
      label,
      status: ok ? 'ok' : 'fail',
      detail: ok ? 'SQLite 完整性检查通过' : rows.slice(0, 3).join('；'),
    };
  } catch (e) {
    return { key: 'database', label, status: 'fail', detail: e instanceof Error ? e.message : String(e) };
  }
}

async function auditItem(knex: Knex): Promise<DayCheckItem> {
  const r = await verifyAuditChain(knex);
  return r.ok
    ? { key: 'audit', label: '审计日志', status: 'ok', detail: `哈希链完整（${r.checked} 条）` }
    : {
        key: 'audit',
        label: '审计日志',
        status: 'fail',
        detail: `第 ${r.firstBroken?.seq ?? '?'} 条起哈希链断裂：${r.firstBroken?.reason ?? ''}`,
      };
}

/** Run every check (none stops the others) and record the run in the audit trail. */
export async function runDayCheck(deps: DayCheckDeps, actor: Actor): Promise<DayCheck> {
  const now = deps.kernel.now();
  const settle = async (key: DayCheckItem['key'], label: string, run: () => Promise<DayCheckItem[]>) => {
    try {
      return await run();
    } catch (e) {
      return [{ key, label, status: 'fail' as const, detail: e instanceof Error ? e.message : String(e) }];
    }
  };
  const items = [
    ...(await settle('reader', '身份证读卡器', async () => [await readerItem(deps)])),
    ...(await settle('printer', '打印机', () => printerItems(deps))),
    ...(await settle('disk', '磁盘空间', async () => [await diskItem(deps)])),
    ...(await settle('backup', '数据备份', () => Promise.resolve([backupItem(deps, now)]))),
    ...(await settle('database', '数据库', async () => [await databaseItem(deps.kernel.knex)])),
    ...(await settle('audit', '审计日志', async () => [await auditItem(deps.kernel.knex)])),
  ];
  const result: DayCheck = { at: now.toISOString(), items };
  await deps.kernel.transaction((trx) =>
    appendAudit(trx, {
      actor,
      action: 'devices.dayCheck',
      entity: 'site',
      after: {
        ok: items.filter((i) => i.status === 'ok').length,
        warn: items.filter((i) => i.status === 'warn').map((i) => i.label),
        fail: items.filter((i) => i.status === 'fail').map((i) => i.label),
      },
    }),
  );
  return result;
}
