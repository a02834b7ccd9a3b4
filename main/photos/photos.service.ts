/**
 * The photo store: roster photos, live webcam photos from check-in and re-entry, and decoded chip photos.
 * Photos live in the database (so every workstation of a PostgreSQL site sees them and a backup holds
 * them). Callers write a photo inside their own transaction, next to the row and audit entry that use it.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Photo, PhotoKind } from '../../shared/contract/photos';
import { insertReturningId } from '../db';
import { appError } from '../base/errors';
import { photoProblem, sniffPhotoMime } from './photo-format';
import { changeAtIso, type Kernel } from '../base/kernel';

interface PhotoRow {
  id: number;
  candidate_id: number | null;
  kind: PhotoKind;
  mime: string;
  bytes: Buffer | Uint8Array;
  created_at: string;
}

export interface NewPhoto {
  candidateId: number | null;
  kind: PhotoKind;
  bytes: Uint8Array;
  createdBy: number | null;
  /** Names what is being saved in an error (e.g. 第 3 个文件「张三_110….jpg」). */
  label?: string;
}

/** Save one photo inside the caller's transaction; returns its id. Bad bytes → BAD_REQUEST naming `label`. */
export async function savePhoto(trx: Knex.Transaction, photo: NewPhoto): Promise<number> {
  const problem = photoProblem(photo.bytes);
  if (problem) {
    throw appError('BAD_REQUEST', photo.label ? `${photo.label}：${problem}` : problem, { field: 'photo' });
  }
  return insertReturningId(trx, 'photos', {
    candidate_id: photo.candidateId,
    kind: photo.kind,
    mime: sniffPhotoMime(photo.bytes),
    bytes: Buffer.from(photo.bytes),
    sha256: createHash('sha256').update(photo.bytes).digest('hex'),
    created_by: photo.createdBy,
    created_at: changeAtIso(trx),
  });
}

export class PhotosService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  async get(id: number): Promise<Photo> {
    const row = await this.knex('photos')
      .where({ id })
      .first<PhotoRow | undefined>('id', 'candidate_id', 'kind', 'mime', 'bytes', 'created_at');
    if (!row) throw appError('NOT_FOUND', `照片 ${id} 不存在`);
    return {
      id: Number(row.id),
      candidateId: row.candidate_id === null ? null : Number(row.candidate_id),
      kind: row.kind,
      mime: row.mime,
      dataBase64: Buffer.from(row.bytes).toString('base64'),
      takenAt: row.created_at,
    };
  }

  /** The bytes of a photo (for printing), or null when there is none. */
  async bytes(id: number | null): Promise<Uint8Array | null> {
    if (id === null) return null;
    const row = await this.knex('photos').where({ id }).first<{ bytes: Buffer } | undefined>('bytes');
    return row ? new Uint8Array(row.bytes) : null;
  }
}
