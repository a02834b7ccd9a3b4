import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import { setUpAdmin } from '../../test/support/fixtures';
import { lastAuditSeq } from '../../test/support/assertions';
import { backupSqlite } from '../db/backup';
import { SettingsStore } from '../system/settings';
import { SittingsService } from '../sittings/sittings.service';
import { SessionsService } from '../sessions/sessions.service';
import { OrgService } from '../org/org.service';
import { PhotosService } from '../photos/photos.service';
import { PrintingService } from '../printing/printing.service';
import { DEFAULT_PRINTING_SETTINGS } from '../printing/settings';
import { createReader } from './idcard/index';
import { ReaderManager } from './reader-manager';
import { DISK_FAIL_BYTES, DISK_WARN_BYTES, runDayCheck } from './day-check';
import { CheckinService } from '../checkin/checkin.service';
import { kernelOf } from '../../test/support/kernel';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'day-check-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describeEachEngine(
  '开考前设备自检',
  (getDb, target) => {
    it('checks reader, printers, disk, backups, database and audit chain, and records the run', async () => {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      const readers = new ReaderManager((config) => createReader(config), new SettingsStore(kernelOf(knex)));
      const printing = new PrintingService(kernelOf(knex), {
        sittings: new SittingsService(kernelOf(knex)),
        sessions: new SessionsService(kernelOf(knex)),
        checkin: new CheckinService(kernelOf(knex), new SessionsService(kernelOf(knex))),
        org: new OrgService(kernelOf(knex)),
        photos: new PhotosService(kernelOf(knex)),
      });
      const dataDir = tmp();
      const deps = {
        kernel: kernelOf(knex),
        readers,
        printing,
        dataDir,
        backupDir: path.join(dataDir, 'backups'),
      };
      try {
        // A fresh site: the simulated reader works; no default printers; no backup yet.
        const first = await runDayCheck(deps, actor);
        const byLabel = (r: typeof first) => new Map(r.items.map((i) => [i.label, i]));
        let items = byLabel(first);
        expect(items.get('身份证读卡器')).toMatchObject({ status: 'ok' });
        expect(items.get('身份证读卡器')?.detail).toContain('✓ 打开读卡器');
        for (const doc of ['准考证', '座位标签', '签到表']) {
          expect(items.get(`${doc}打印机`)).toEqual({
            key: 'printer',
            label: `${doc}打印机`,
            status: 'warn',
            detail: `未设置${doc}的默认打印机（打印设置）`,
          });
        }
        const st = await fs.promises.statfs(dataDir);
        const free = Number(st.bavail) * Number(st.bsize);
        expect(items.get('磁盘空间')).toMatchObject({
          status: free < DISK_FAIL_BYTES ? 'fail' : free < DISK_WARN_BYTES ? 'warn' : 'ok',
          detail: expect.stringContaining(`数据文件夹 ${dataDir} 所在磁盘可用`) as unknown,
        });
        expect(items.get('数据库')).toMatchObject({ status: 'ok' });
        expect(items.get('审计日志')?.status).toBe('ok');
        if (target.engine === 'sqlite') {
          expect(items.get('数据备份')).toMatchObject({
            status: 'warn',
            detail: expect.stringContaining('还没有备份') as unknown,
          });
        } else {
          expect(items.get('数据备份')?.detail).toContain('pg_dump');
        }
        const seq = await lastAuditSeq(knex);
        const entry = await knex('audit_log').where({ seq }).first<{ action: string; after: string }>();
        expect(entry?.action).toBe('devices.dayCheck');
        expect(JSON.parse(entry.after)).toMatchObject({
          warn: expect.arrayContaining(['准考证打印机']) as unknown,
          fail: [],
        });

        // A folder printer that cannot be written to fails by name; a usable one is ready.
        const blocked = path.join(tmp(), 'a-file');
        fs.writeFileSync(blocked, 'not a folder');
        const good = tmp();
        await printing.updateSettings(actor, {
          ...DEFAULT_PRINTING_SETTINGS,
          folders: [path.join(blocked, 'pdf'), good],
          defaults: {
            'admission-ticket': { kind: 'folder', name: path.join(blocked, 'pdf') },
            'seat-labels': { kind: 'folder', name: good },
            'sign-in-sheet': { kind: 'cups', name: 'no-such-queue' },
          },
        });
        if (target.engine === 'sqlite') await backupSqlite(knex, deps.backupDir);
        items = byLabel(await runDayCheck(deps, actor));
        expect(items.get('准考证打印机')?.status).toBe('fail');
        expect(items.get('准考证打印机')?.detail).toContain(`文件夹 ${path.join(blocked, 'pdf')} 不可写入`);
        expect(items.get('座位标签打印机')).toMatchObject({
          status: 'ok',
          detail: `输出到文件夹：${good}：就绪`,
        });
        expect(items.get('签到表打印机')).toMatchObject({
          status: 'fail',
          detail: expect.stringContaining('找不到打印机“no-such-queue”') as unknown,
        });
        if (target.engine === 'sqlite') {
          expect(items.get('数据备份')).toMatchObject({
            status: 'ok',
            detail: expect.stringMatching(/^最近一次备份 .+（\d+ 分钟前）$/) as unknown,
          });
        }

        // An edited audit entry breaks the chain: the check names where.
        await knex('audit_log').where({ seq: 2 }).update({ actor_name: '改过' });
        items = byLabel(await runDayCheck(deps, actor));
        expect(items.get('审计日志')).toMatchObject({
          status: 'fail',
          detail: expect.stringMatching(/^第 2 条起哈希链断裂/) as unknown,
        });
      } finally {
        await readers.close();
      }
    });
  },
  { per: 'test' },
);
