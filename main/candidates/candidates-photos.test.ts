/**
 * Roster photos on both engines: files named 姓名_身份证号.jpg find their candidate by the ID number; every
 * refusal names the file and says why; a preview stores nothing; a commit stores the ok files in one
 * transaction with one audit entry and leaves the refused ones out; one candidate's photo can be set or
 * removed.
 */
import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import {
  expectAppError,
  expectChainIntact,
  expectNoAudit,
  expectOneAudit,
} from '../../test/support/assertions';
import {
  candidateFields,
  createOccupation,
  createSitting,
  idNumber,
  insertCandidates,
  setUpAdmin,
} from '../../test/support/fixtures';
import type { Actor } from '../audit/chain';
import { PhotosService } from '../photos/photos.service';
import { CandidatesService } from './candidates.service';
import { parsePhotoFileName, type PhotoImportFile } from './candidates-photos';
import type { PhotoImportResult } from '../../shared/contract/candidates-api';
import { SittingsService } from '../sittings/sittings.service';
import { kernelOf } from '../../test/support/kernel';

/** A JPEG start-of-image marker padded to `size` bytes (the store judges by the first bytes). */
function jpeg(size: number, fill = 0x11): Buffer {
  const b = Buffer.alloc(size, fill);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}
/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const file = (name: string, bytes: Buffer): PhotoImportFile => ({
  name,
  dataBase64: bytes.toString('base64'),
});

const ZHANG = { name: '张三', id: idNumber('1990-01-01', 1) };
const LI = { name: '李四', id: idNumber('1985-06-15', 2) };
const WANG = { name: '王五', id: idNumber('1979-12-31', 3) };
const OUTSIDER = idNumber('2000-02-29', 4);

it('reads the ID number and the name from the usual file names', () => {
  expect(parsePhotoFileName(`张三_${ZHANG.id}.jpg`)).toEqual({ ok: true, idNumber: ZHANG.id, name: '张三' });
  expect(parsePhotoFileName(`${ZHANG.id}.JPG`)).toEqual({ ok: true, idNumber: ZHANG.id, name: null });
  expect(parsePhotoFileName(`${ZHANG.id}_张 三.png`)).toEqual({ ok: true, idNumber: ZHANG.id, name: '张三' });
  // A lower-case x and full-width digits, as people type them.
  const withX = '11010519491231002x';
  expect(parsePhotoFileName(`张三_${withX}.jpeg`)).toMatchObject({ ok: true, idNumber: withX.toUpperCase() });
  expect(parsePhotoFileName('张三_１１０１０５１９９００１０１００１X.jpg')).toMatchObject({
    ok: true,
    idNumber: '110105199001010015'.slice(0, 17) + 'X',
  });
  expect(parsePhotoFileName(`张三-${ZHANG.id}.jpg`)).toEqual({ ok: true, idNumber: ZHANG.id, name: '张三' });
  expect(parsePhotoFileName(`张三 ${ZHANG.id}.jpg`)).toEqual({ ok: true, idNumber: ZHANG.id, name: '张三' });
  expect(parsePhotoFileName('张三.jpg')).toEqual({
    ok: false,
    reason: '文件名中没有证件号码（应为「姓名_身份证号.jpg」）',
  });
  expect(parsePhotoFileName(`张三_${ZHANG.id}_${LI.id}.jpg`)).toMatchObject({ ok: false });
});

describeEachEngine(
  'roster photos',
  (getDb) => {
    let actor: Actor;
    let sittingId: number;
    let ids: number[];
    const svc = () =>
      new CandidatesService(kernelOf(getDb().knex), new SittingsService(kernelOf(getDb().knex)));
    const photoIdOf = async (candidateId: number) => {
      const row = await getDb()
        .knex('candidates')
        .where({ id: candidateId })
        .first<{ photo_id: number | null }>('photo_id');
      return row.photo_id === null ? null : Number(row.photo_id);
    };
    const photoCount = async () => {
      const [row] = await getDb().knex('photos').count<{ n: number | string }[]>({ n: '*' });
      return Number(row?.n ?? 0);
    };
    const byFile = (files: PhotoImportResult[]) => Object.fromEntries(files.map((f) => [f.fileName, f]));

    beforeEach(async () => {
      const { knex } = getDb();
      actor = (await setUpAdmin(knex)).actor;
      const occ = await createOccupation(knex);
      sittingId = (await createSitting(knex, occ.id)).id;
      const other = (await createSitting(knex, occ.id, { name: '另一批次' })).id;
      ids = await insertCandidates(
        knex,
        sittingId,
        [ZHANG, LI, WANG].map((p) => candidateFields({ name: p.name, idNumber: p.id })),
      );
      await insertCandidates(knex, other, [candidateFields({ name: '赵六', idNumber: OUTSIDER })]);
    }, 30_000);

    it('previews every file with its candidate or the reason it is refused, and stores nothing', async () => {
      const { knex } = getDb();
      const files = [
        file(`张三_${ZHANG.id}.jpg`, jpeg(60 * 1024)),
        file(`${LI.id}.png`, PNG),
        file('readme.jpg', jpeg(50 * 1024)),
        file(`赵六_${OUTSIDER}.jpg`, jpeg(50 * 1024)),
        file(`王五_${WANG.id}.jpg`, Buffer.from('这是一个文本文件，不是照片。')),
        file(`王小五_${WANG.id}.jpeg`, jpeg(50 * 1024)),
        file(`空_${WANG.id}.jpg`, Buffer.alloc(0)),
        file(`王五_${WANG.id}_大.jpg`, jpeg(2 * 1024 * 1024 + 1)),
      ];
      const r = await expectNoAudit(knex, () =>
        svc().importPhotos(actor, { sittingId, files, commit: false }),
      );
      expect(r).toMatchObject({ committed: false, ok: 2, refused: 6, replaced: 0, stored: 0 });
      const f = byFile(r.files);
      expect(r.files.map((x) => x.fileName)).toEqual(files.map((x) => x.name));
      expect(f[`张三_${ZHANG.id}.jpg`]).toEqual({
        status: 'ok',
        fileName: `张三_${ZHANG.id}.jpg`,
        candidateId: ids[0],
        candidateName: '张三',
        idNumberMasked: '1101**********' + ZHANG.id.slice(-4),
        replaces: false,
        warnings: [],
      });
      expect(f[`${LI.id}.png`]).toMatchObject({
        status: 'ok',
        candidateName: '李四',
        warnings: ['文件小于 40 KB（0.1 KB），照片可能不清晰', 'PNG 图片（报名要求为 JPG）'],
      });
      expect(f['readme.jpg']).toMatchObject({
        status: 'refused',
        candidateName: null,
        reason: '文件名中没有证件号码（应为「姓名_身份证号.jpg」）',
      });
      expect(f[`赵六_${OUTSIDER}.jpg`]).toMatchObject({
        status: 'refused',
        reason: `证件号码 1101**********${OUTSIDER.slice(-4)} 不在本批次考生名单中`,
      });
      expect(f[`王五_${WANG.id}.jpg`]).toMatchObject({
        status: 'refused',
        candidateName: '王五',
        reason: '不是 JPEG 或 PNG 图片（按文件内容判断）',
      });
      expect(f[`王小五_${WANG.id}.jpeg`]).toMatchObject({
        status: 'refused',
        reason: '文件名中的姓名「王小五」与名单中的姓名「王五」不一致',
      });
      expect(f[`空_${WANG.id}.jpg`]).toMatchObject({ status: 'refused', reason: '文件为空' });
      expect(f[`王五_${WANG.id}_大.jpg`]).toMatchObject({
        status: 'refused',
        reason: '文件过大（超过 2 MB）',
      });
      expect(await photoCount()).toBe(0);
      expect(await photoIdOf(ids[0]!)).toBeNull();
    });

    it('warns about a photo larger than 200 KB but takes it', async () => {
      const r = await svc().importPhotos(actor, {
        sittingId,
        files: [file(`张三_${ZHANG.id}.jpg`, jpeg(300 * 1024))],
        commit: false,
      });
      expect(r.files[0]).toMatchObject({ status: 'ok', warnings: ['文件大于 200 KB（300 KB）'] });
    });

    it('refuses both files when one candidate comes twice, naming the other file', async () => {
      const r = await svc().importPhotos(actor, {
        sittingId,
        files: [
          file(`张三_${ZHANG.id}.jpg`, jpeg(50 * 1024)),
          file(`${ZHANG.id}.jpg`, jpeg(60 * 1024)),
          file(`李四_${LI.id}.jpg`, jpeg(50 * 1024)),
        ],
        commit: true,
      });
      expect(r).toMatchObject({ ok: 1, refused: 2, stored: 1 });
      expect(r.files[0]).toMatchObject({
        status: 'refused',
        candidateName: '张三',
        reason: `同一考生「张三」在本次上传中有多个文件（另见「${ZHANG.id}.jpg」），请只保留一个`,
      });
      expect(r.files[1]).toMatchObject({
        status: 'refused',
        reason: `同一考生「张三」在本次上传中有多个文件（另见「张三_${ZHANG.id}.jpg」），请只保留一个`,
      });
      expect(await photoIdOf(ids[0]!)).toBeNull();
      expect(await photoIdOf(ids[1]!)).not.toBeNull();
    });

    it('stores the ok files in one commit with one audit entry, leaves refused ones out, and replaces', async () => {
      const { knex } = getDb();
      const zhang1 = jpeg(50 * 1024, 0x01);
      const { result, entry } = await expectOneAudit(knex, 'candidates.importPhotos', () =>
        svc().importPhotos(actor, {
          sittingId,
          files: [
            file(`张三_${ZHANG.id}.jpg`, zhang1),
            file(`李四_${LI.id}.png`, PNG),
            file(`王五_${WANG.id}.jpg`, Buffer.from('not a photo')),
          ],
          commit: true,
        }),
      );
      expect(result).toMatchObject({ committed: true, ok: 2, refused: 1, replaced: 0, stored: 2 });
      expect(JSON.parse(entry.after ?? '{}')).toMatchObject({ count: 2, replaced: 0, refused: 1 });
      expect(await photoCount()).toBe(2);
      const zhangPhoto = await photoIdOf(ids[0]!);
      const photo = await new PhotosService(kernelOf(knex)).get(zhangPhoto!);
      expect(photo).toMatchObject({ candidateId: ids[0], kind: 'roster', mime: 'image/jpeg' });
      expect(Buffer.from(photo.dataBase64, 'base64').equals(zhang1)).toBe(true);
      expect(await photoIdOf(ids[2]!)).toBeNull();
      const listed = await svc().list({ sittingId, page: 1, pageSize: 50 });
      expect(listed.rows.map((c) => [c.name, c.photoId !== null])).toEqual([
        ['张三', true],
        ['李四', true],
        ['王五', false],
      ]);
      const named = async (photo: 'with' | 'without') =>
        (await svc().list({ sittingId, photo, page: 1, pageSize: 50 })).rows.map((c) => c.name);
      expect(await named('with')).toEqual(['张三', '李四']);
      expect(await named('without')).toEqual(['王五']);

      // A second import replaces 张三's photo, and the preview says so.
      const zhang2 = jpeg(70 * 1024, 0x02);
      const preview = await svc().importPhotos(actor, {
        sittingId,
        files: [file(`${ZHANG.id}_张三.jpg`, zhang2)],
        commit: false,
      });
      expect(preview.files[0]).toMatchObject({ status: 'ok', replaces: true });
      expect(preview.replaced).toBe(1);
      const again = await expectOneAudit(knex, 'candidates.importPhotos', () =>
        svc().importPhotos(actor, { sittingId, files: [file(`${ZHANG.id}_张三.jpg`, zhang2)], commit: true }),
      );
      expect(again.result).toMatchObject({ stored: 1, replaced: 1 });
      expect(JSON.parse(again.entry.before ?? '{}')).toEqual({
        photos: [{ candidateId: ids[0], photoId: zhangPhoto }],
      });
      const replaced = await new PhotosService(kernelOf(knex)).get((await photoIdOf(ids[0]!))!);
      expect(Buffer.from(replaced.dataBase64, 'base64').equals(zhang2)).toBe(true);
    });

    it('writes nothing and no audit entry when every file is refused', async () => {
      const { knex } = getDb();
      const r = await expectNoAudit(knex, () =>
        svc().importPhotos(actor, { sittingId, files: [file('照片.jpg', jpeg(50 * 1024))], commit: true }),
      );
      expect(r).toMatchObject({ committed: true, ok: 0, refused: 1, stored: 0 });
      expect(await photoCount()).toBe(0);
    });

    it('finds the candidate from a legacy 15-digit ID number in the file name', async () => {
      const legacy = `110105${ZHANG.id.slice(8, 14)}${ZHANG.id.slice(14, 17)}`;
      expect(legacy).toHaveLength(15);
      const r = await svc().importPhotos(actor, {
        sittingId,
        files: [file(`张三_${legacy}.jpg`, jpeg(50 * 1024))],
        commit: false,
      });
      expect(r.files[0]).toMatchObject({ status: 'ok', candidateId: ids[0], candidateName: '张三' });
    });

    it('refuses an unknown sitting', async () => {
      await expectAppError(
        svc().importPhotos(actor, { sittingId: 9999, files: [file('a.jpg', PNG)], commit: false }),
        'NOT_FOUND',
        { message: '考试批次 9999 不存在', field: 'sittingId' },
      );
    });

    it('sets, replaces and removes one candidate’s photo, audited, and refuses a file that is not a photo', async () => {
      const { knex } = getDb();
      const first = await expectOneAudit(knex, 'candidates.setPhoto', () =>
        svc().setPhoto(actor, { candidateId: ids[1]!, dataBase64: jpeg(45 * 1024).toString('base64') }),
      );
      expect(await photoIdOf(ids[1]!)).toBe(first.result.photoId);
      expect(JSON.parse(first.entry.before ?? '{}')).toEqual({ photoId: null });

      await expectNoAudit(knex, () =>
        expectAppError(
          svc().setPhoto(actor, {
            candidateId: ids[1]!,
            dataBase64: Buffer.from('%PDF-1.7 a scan').toString('base64'),
          }),
          'BAD_REQUEST',
          { message: '考生「李四」的照片：不是 JPEG 或 PNG 图片（按文件内容判断）', field: 'dataBase64' },
        ),
      );
      expect(await photoIdOf(ids[1]!)).toBe(first.result.photoId);

      const removed = await expectOneAudit(knex, 'candidates.removePhoto', () =>
        svc().setPhoto(actor, { candidateId: ids[1]!, dataBase64: null }),
      );
      expect(removed.result.photoId).toBeNull();
      expect(await photoIdOf(ids[1]!)).toBeNull();
      expect((await svc().list({ sittingId, page: 1, pageSize: 50 })).rows[1]?.photoId).toBeNull();

      await expectAppError(svc().setPhoto(actor, { candidateId: 9999, dataBase64: null }), 'NOT_FOUND', {
        message: '考生 9999 不存在',
        field: 'candidateId',
      });
      await expectChainIntact(knex);
    });
  },
  { per: 'test' },
);
