import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/engines';
import { expectAppError } from '../../test/support/assertions';
import {
  candidateFields,
  createOccupation,
  createSitting,
  idNumber,
  insertCandidates,
  setUpAdmin,
} from '../../test/support/fixtures';
import { PhotosService, savePhoto } from './photos.service';
import { photoProblem, sniffPhotoMime } from './photo-format';
import { kernelOf } from '../../test/support/kernel';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

it('knows a photo by its first bytes, not by what it claims to be', () => {
  expect(sniffPhotoMime(PNG)).toBe('image/png');
  expect(sniffPhotoMime(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
  expect(sniffPhotoMime(Buffer.from('%PDF-1.7 not a photo'))).toBeNull();
  expect(photoProblem(new Uint8Array())).toBe('照片文件为空');
  expect(photoProblem(Buffer.from('GIF89a……'))).toMatch(/不是 JPEG、PNG 或 BMP/);
  expect(photoProblem(new Uint8Array(3 * 1024 * 1024).fill(0xff))).toMatch(/照片过大（3072 KB/);
});

describeEachEngine('photo store', (getDb) => {
  it('keeps a candidate photo byte for byte and refuses what is not a picture, naming it', async () => {
    const { knex } = getDb();
    const { user } = await setUpAdmin(knex);
    const occ = await createOccupation(knex);
    const sitting = await createSitting(knex, occ.id);
    const [cid] = await insertCandidates(knex, sitting.id, [
      candidateFields({ name: '张三', idNumber: idNumber('1990-01-01', 1) }),
    ]);
    const id = await kernelOf(knex).transaction((trx) =>
      savePhoto(trx, {
        candidateId: cid ?? null,
        kind: 'roster',
        bytes: PNG,
        createdBy: user.id,
      }),
    );
    const photos = new PhotosService(kernelOf(knex));
    const got = await photos.get(id);
    expect(got).toMatchObject({ id, candidateId: cid, kind: 'roster', mime: 'image/png' });
    expect(Buffer.from(got.dataBase64, 'base64').equals(PNG)).toBe(true);
    expect(Buffer.from((await photos.bytes(id)) ?? []).equals(PNG)).toBe(true);
    expect(await photos.bytes(null)).toBeNull();

    await expectAppError(
      kernelOf(knex).transaction((trx) =>
        savePhoto(trx, {
          candidateId: null,
          kind: 'roster',
          bytes: Buffer.from('not a photo at all'),
          createdBy: null,
          label: '第 2 个文件「李四.jpg」',
        }),
      ),
      'BAD_REQUEST',
      { message: /第 2 个文件「李四\.jpg」：不是 JPEG/, field: 'photo' },
    );
    const [{ n }] = (await knex('photos').count({ n: '*' })) as [{ n: number | string }];
    expect(Number(n)).toBe(1);
    await expectAppError(photos.get(999), 'NOT_FOUND', { message: '照片 999 不存在' });
  });
});
