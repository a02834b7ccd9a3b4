/**
 * Printing from the database (both engines): 准考证号 generation, the 准考证 / 座位标签 / 签到表 built from
 * candidates, sessions and seats (read back with pdftotext), printing to a folder printer, and the
 * refusals (no ticket number yet, unknown printer) that leave nothing behind.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import {
  candidateFields,
  createOccupation,
  createSitting,
  idNumber,
  insertCandidates,
  setUpAdmin,
} from '../../test/support/fixtures';
import { expectAppError, expectNoAudit, expectOneAudit } from '../../test/support/assertions';
import { SYSTEM_ACTOR } from '../audit/chain';
import { OrgService } from '../org/org.service';
import { PhotosService, savePhoto } from '../photos/photos.service';
import { RoomsService } from '../rooms/rooms.service';
import { SessionsService } from '../sessions/sessions.service';
import { SittingsService } from '../sittings/sittings.service';
import { DEFAULT_PRINTING_SETTINGS } from './settings';
import { PrintingService } from './printing.service';
import type { CommandRunner } from './printers';
import type { Knex } from 'knex';
import type { Actor } from '../audit/chain';
import { CandidatesService } from '../candidates/candidates.service';
import { CheckinService } from '../checkin/checkin.service';
import { Composer, PAPER } from './layout';
import { kernelOf } from '../../test/support/kernel';

const tmpDirs: string[] = [];
function tempFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-print-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function pdfText(bytes: Uint8Array | Buffer): string {
  const dir = tempFolder();
  const file = path.join(dir, 'doc.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** 准考证号 are the candidates feature's (main/candidates/ticket-numbers.ts); printing needs them first. */
function assignTicketNumbers(ctx: { knex: Knex; actor: Actor; sitting: { id: number } }) {
  const kernel = kernelOf(ctx.knex);
  return new CandidatesService(kernel, new SittingsService(kernel)).assignTicketNumbers(
    ctx.actor,
    ctx.sitting.id,
  );
}

describeEachEngine(
  'printing from the database',
  (getDb) => {
    async function site() {
      const { knex } = getDb();
      const { actor } = await setUpAdmin(knex);
      await new OrgService(kernelOf(knex)).update(actor, {
        name: '测试市职业技能等级认定中心',
        category: 'S',
        orgCode: '00002',
        provinceCode: '11',
        siteSerial: '02',
        siteName: '测试考点',
        address: '测试路 2 号',
      });
      const occ = await createOccupation(knex);
      const sitting = await createSitting(knex, occ.id, { startDate: '2026-12-05', endDate: '2026-12-06' });
      const ids = await insertCandidates(knex, sitting.id, [
        candidateFields({ name: '张三丰', idNumber: idNumber('1990-01-01', 1), appliedLevel: 4 }),
        candidateFields({
          name: '李四光',
          idNumber: idNumber('1990-01-01', 2),
          appliedLevel: 5,
          admissionTicketNo: 'R20260001',
        }),
        candidateFields({ name: '王五', idNumber: idNumber('1990-01-01', 3), appliedLevel: 5 }),
        candidateFields({ name: '赵六', idNumber: idNumber('1990-01-01', 4), appliedLevel: 4 }),
      ]);
      await knex('candidates').where({ id: ids[1] }).update({ review_status: 'approved' });
      await knex('candidates')
        .where({ id: ids[3] })
        .update({ review_status: 'rejected', review_reason: '年限不足' });
      const rooms = new RoomsService(kernelOf(knex));
      const room = await rooms.create(actor, {
        name: '第01考场',
        location: '实训楼 201',
        capacity: 10,
        columns: 5,
        active: true,
      });
      const sessions = new SessionsService(kernelOf(knex));
      const sittings = new SittingsService(kernelOf(knex));
      const theory = await sessions.create(actor, {
        sittingId: sitting.id,
        name: '理论知识考试',
        component: 'theory',
        startsAt: '2026-12-05T01:00:00.000Z',
        endsAt: '2026-12-05T02:30:00.000Z',
        opensMinutesBefore: 30,
        lateCutoffMinutes: 15,
      });
      await sessions.assignSeats(actor, {
        sessionId: theory.id,
        roomIds: [room.id],
        separateEmployers: false,
      });
      const printing = new PrintingService(kernelOf(knex), {
        sittings,
        sessions,
        checkin: new CheckinService(kernelOf(knex), sessions),
        org: new OrgService(kernelOf(knex)),
        photos: new PhotosService(kernelOf(knex)),
      });
      return { knex, actor, sitting, ids, room, theory, printing };
    }

    let ctx: Awaited<ReturnType<typeof site>>;

    it('refuses to print 准考证 before every candidate has a number, saying how many and what to do', async () => {
      ctx = await site();
      await expectNoAudit(ctx.knex, () =>
        expectAppError(
          ctx.printing.preview({ kind: 'admission-ticket', sittingId: ctx.sitting.id }),
          'BAD_REQUEST',
          { message: /有 2 名考生还没有准考证号.*请先生成准考证号/ },
        ),
      );
    });

    it('gives approved and pending candidates numbers, keeps the roster ones, skips the rejected (one audit)', async () => {
      const { entry, result } = await expectOneAudit(ctx.knex, 'candidates.assignTicketNumbers', () =>
        assignTicketNumbers(ctx),
      );
      expect(result).toEqual({ assigned: 2, kept: 1 });
      expect(JSON.parse(entry.after ?? '{}')).toMatchObject({ assigned: 2, kept: 1 });
      const rows = await ctx
        .knex('candidates')
        .orderBy('id')
        .select<Array<{ name: string; admission_ticket_no: string | null }>>('name', 'admission_ticket_no');
      const prefix = `2026${String(ctx.sitting.id).padStart(3, '0')}`;
      expect(rows).toEqual([
        { name: '张三丰', admission_ticket_no: `${prefix}0001` },
        { name: '李四光', admission_ticket_no: 'R20260001' },
        { name: '王五', admission_ticket_no: `${prefix}0002` },
        { name: '赵六', admission_ticket_no: null },
      ]);
      // Running it again changes nothing and writes nothing.
      await expectNoAudit(ctx.knex, async () =>
        expect(await assignTicketNumbers(ctx)).toEqual({
          assigned: 0,
          kept: 3,
        }),
      );
    });

    it('continues after the highest number already used, so numbers stay unique', async () => {
      const prefix = `2026${String(ctx.sitting.id).padStart(3, '0')}`;
      const [late] = await insertCandidates(ctx.knex, ctx.sitting.id, [
        candidateFields({ name: '孙七', idNumber: idNumber('1990-01-01', 5), appliedLevel: 4 }),
      ]);
      await ctx
        .knex('candidates')
        .where({ name: '王五' })
        .update({ admission_ticket_no: `${prefix}0041` });
      expect(await assignTicketNumbers(ctx)).toEqual({
        assigned: 1,
        kept: 3,
      });
      const row = await ctx.knex('candidates').where({ id: late }).first<{ admission_ticket_no: string }>();
      expect(row.admission_ticket_no).toBe(`${prefix}0042`);
      const all = await ctx
        .knex('candidates')
        .whereNotNull('admission_ticket_no')
        .select<Array<{ admission_ticket_no: string }>>('admission_ticket_no');
      const numbers = all.map((r) => r.admission_ticket_no);
      expect(new Set(numbers).size).toBe(numbers.length);
    });

    it('composes the sitting’s 准考证 with the candidate’s name, ticket number, room and seat', async () => {
      const preview = await expectNoAudit(ctx.knex, () =>
        ctx.printing.preview({ kind: 'admission-ticket', sittingId: ctx.sitting.id }),
      );
      // 张三丰, 李四光, 王五 and 孙七 (the rejected 赵六 gets none).
      expect(preview.count).toBe(4);
      expect(preview.pageCount).toBe(4);
      const text = pdfText(Buffer.from(preview.dataBase64, 'base64'));
      const prefix = `2026${String(ctx.sitting.id).padStart(3, '0')}`;
      expect(text).toContain('张三丰');
      expect(text).toContain(`${prefix}0001`);
      expect(text).toContain('R20260001');
      expect(text).toContain('第01考场');
      expect(text).not.toContain('赵六');
      // The one chosen candidate only.
      const one = await ctx.printing.preview({
        kind: 'admission-ticket',
        sittingId: ctx.sitting.id,
        candidateIds: [ctx.ids[1]!],
      });
      expect(one.pageCount).toBe(1);
      expect(pdfText(Buffer.from(one.dataBase64, 'base64'))).toContain('李四光');
    });

    it('prints the roster photo on the candidate’s ticket, and a box for the others', async () => {
      const bytes = fs.readFileSync(path.join(__dirname, '../../test/fixtures/printing/photo.jpg'));
      const photoId = await kernelOf(ctx.knex).transaction((trx) =>
        savePhoto(trx, {
          candidateId: ctx.ids[0]!,
          kind: 'roster',
          bytes,
          createdBy: null,
        }),
      );
      await ctx.knex('candidates').where({ id: ctx.ids[0] }).update({ photo_id: photoId });
      const imagesOn = async (candidateId: number) => {
        const one = await ctx.printing.preview({
          kind: 'admission-ticket',
          sittingId: ctx.sitting.id,
          candidateIds: [candidateId],
        });
        const dir = tempFolder();
        const file = path.join(dir, 'ticket.pdf');
        fs.writeFileSync(file, Buffer.from(one.dataBase64, 'base64'));
        return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
          .split('\n')
          .filter((l) => /^\s*1\s/.test(l));
      };
      expect(await imagesOn(ctx.ids[0]!)).toHaveLength(1);
      expect(await imagesOn(ctx.ids[2]!)).toHaveLength(0);
    });

    it('prints a PDF another feature composed on the default printer of its kind, audited as a print', async () => {
      const folder = tempFolder();
      await ctx.printing.updateSettings(ctx.actor, {
        ...DEFAULT_PRINTING_SETTINGS,
        folders: [folder],
        defaults: { 'sign-in-sheet': { kind: 'folder', name: folder } },
      });
      // A feature (say, the room log) composes its own page with the printer's calibration and font.
      const compose = await ctx.printing.composeContext('sign-in-sheet');
      expect(compose.printer).toEqual({ kind: 'folder', name: folder });
      expect(compose.timeZone).toBe('Asia/Shanghai');
      const page = new Composer(
        PAPER.A4,
        { font: compose.font, calibration: compose.calibration },
        '考场情况记录单',
      );
      page.addPage();
      page.textAt('考场情况记录单 第01考场', 72, 100, 16);
      const pdf = await page.finish();
      const { result, entry } = await expectOneAudit(ctx.knex, 'printing.print', () =>
        ctx.printing.printComposed(ctx.actor, { kind: 'sign-in-sheet', pdf, count: 1 }),
      );
      expect(path.dirname(result.file!)).toBe(folder);
      expect(pdfText(fs.readFileSync(result.file!))).toContain('考场情况记录单 第01考场');
      expect(JSON.parse(entry.after ?? '{}')).toMatchObject({
        document: 'sign-in-sheet',
        title: '考场情况记录单',
      });
      // Without a default printer for the kind it says what to do, and nothing is printed or audited.
      await ctx.printing.updateSettings(ctx.actor, { ...DEFAULT_PRINTING_SETTINGS, folders: [folder] });
      await expectNoAudit(ctx.knex, () =>
        expectAppError(
          ctx.printing.printComposed(ctx.actor, { kind: 'sign-in-sheet', pdf, count: 1 }),
          'BAD_REQUEST',
          {
            message: /请选择打印机，或在「打印设置」中为签到表设置默认打印机/,
            field: 'printer',
          },
        ),
      );
      expect(fs.readdirSync(folder).filter((f) => f.endsWith('.pdf'))).toHaveLength(1);
      for (const f of fs.readdirSync(folder)) fs.rmSync(path.join(folder, f));
    });

    it('prints 签到表 to a folder printer: the file appears and the print is audited', async () => {
      const folder = tempFolder();
      await expectOneAudit(ctx.knex, 'printing.settings', () =>
        ctx.printing.updateSettings(ctx.actor, {
          ...DEFAULT_PRINTING_SETTINGS,
          folders: [folder],
          defaults: { 'sign-in-sheet': { kind: 'folder', name: folder } },
        }),
      );
      const { result, entry } = await expectOneAudit(ctx.knex, 'printing.print', () =>
        ctx.printing.print(ctx.actor, { document: { kind: 'sign-in-sheet', sessionId: ctx.theory.id } }),
      );
      expect(result.printer).toEqual({ kind: 'folder', name: folder });
      expect(result.file).not.toBeNull();
      expect(path.dirname(result.file!)).toBe(folder);
      expect(fs.readdirSync(folder).filter((f) => f.endsWith('.pdf'))).toHaveLength(1);
      const text = pdfText(fs.readFileSync(result.file!));
      expect(text).toContain('张三丰');
      expect(text).toContain('第01考场');
      expect(JSON.parse(entry.after ?? '{}')).toMatchObject({
        document: 'sign-in-sheet',
        // Seated before 孙七 joined: 张三丰, 李四光, 王五.
        count: 3,
        printer: { kind: 'folder', name: folder },
      });
    });

    it('refuses an unknown printer clearly, writes nothing and audits nothing', async () => {
      const stranger = path.join(tempFolder(), 'not-configured');
      await expectNoAudit(ctx.knex, () =>
        expectAppError(
          ctx.printing.print(ctx.actor, {
            document: { kind: 'seat-labels', sessionId: ctx.theory.id },
            printer: { kind: 'folder', name: stranger },
          }),
          'NOT_FOUND',
          {
            message: `打印机「${stranger}」不存在（文件夹打印机需先在「打印设置」中添加）`,
            field: 'printer',
          },
        ),
      );
      expect(fs.existsSync(stranger)).toBe(false);
      // No default printer for 座位标签 and none chosen.
      await expectNoAudit(ctx.knex, () =>
        expectAppError(
          ctx.printing.print(ctx.actor, { document: { kind: 'seat-labels', sessionId: ctx.theory.id } }),
          'BAD_REQUEST',
          { message: '请选择打印机，或在「打印设置」中为座位标签设置默认打印机', field: 'printer' },
        ),
      );
    });

    it('refuses a stopped CUPS queue with the reason, sends nothing and audits nothing', async () => {
      const commands: string[] = [];
      const run: CommandRunner = (command, args) => {
        commands.push(`${command} ${args.join(' ')}`);
        const stdout =
          command === 'lpstat' && args[0] === '-l'
            ? 'printer Q1 disabled since Sun Nov 22 19:00:31 2026 -\n\tPaper jam\n'
            : 'Q1 accepting requests since Sun Nov 22 19:00:31 2026\n';
        return Promise.resolve({ code: 0, stdout, stderr: '', error: null });
      };
      const printing = new PrintingService(
        kernelOf(ctx.knex),
        {
          sittings: new SittingsService(kernelOf(ctx.knex)),
          sessions: new SessionsService(kernelOf(ctx.knex)),
          checkin: new CheckinService(kernelOf(ctx.knex), new SessionsService(kernelOf(ctx.knex))),
          org: new OrgService(kernelOf(ctx.knex)),
          photos: new PhotosService(kernelOf(ctx.knex)),
        },
        { environment: () => ({ platform: 'linux', run }) },
      );
      await expectNoAudit(ctx.knex, () =>
        expectAppError(
          printing.print(ctx.actor, {
            document: { kind: 'seat-labels', sessionId: ctx.theory.id },
            printer: { kind: 'cups', name: 'Q1' },
          }),
          'CONFLICT',
          { message: '打印机「Q1」已停用（暂停或脱机），未发送打印任务。CUPS：Paper jam' },
        ),
      );
      expect(commands.some((c) => c.startsWith('lp '))).toBe(false);
    });

    it('saves a measured calibration as the printer’s new offset', async () => {
      const folder = (await ctx.printing.settings()).folders[0]!;
      const printer = { kind: 'folder' as const, name: folder };
      const { result } = await expectOneAudit(ctx.knex, 'printing.calibrate', () =>
        ctx.printing.saveCalibration(ctx.actor, { printer, leftMm: 21.5, topMm: 19 }),
      );
      const profile = result.profiles.find((p) => p.target.name === folder);
      expect(profile?.calibration).toEqual({ dxMm: -1.5, dyMm: 1 });
      expect(profile?.calibratedAt).toBeTruthy();
      expect((await ctx.printing.settings()).profiles).toEqual(result.profiles);
      await expectNoAudit(ctx.knex, () =>
        expectAppError(
          ctx.printing.saveCalibration(ctx.actor, { printer, leftMm: 50, topMm: 20 }),
          'BAD_REQUEST',
          {
            field: 'leftMm',
          },
        ),
      );
    });

    it('refuses seat labels for a session nobody is seated in', async () => {
      const sessions = new SessionsService(kernelOf(ctx.knex));
      const practical = await sessions.create(SYSTEM_ACTOR, {
        sittingId: ctx.sitting.id,
        name: '操作技能考核',
        component: 'practical',
        startsAt: '2026-12-05T06:00:00.000Z',
        endsAt: '2026-12-05T08:00:00.000Z',
        opensMinutesBefore: 30,
        lateCutoffMinutes: 15,
      });
      await expectAppError(
        ctx.printing.preview({ kind: 'seat-labels', sessionId: practical.id }),
        'BAD_REQUEST',
        { message: '场次「操作技能考核」还没有安排座位，请先随机安排座位' },
      );
    });
  },
  { per: 'suite' },
);
