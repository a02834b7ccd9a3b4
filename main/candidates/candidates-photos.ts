/**
 * Roster photos (domain.md §7.1): candidates send an e-photo named 姓名_身份证号.jpg (JPG, 40–200 KB,
 * white background). A batch of such files is matched to the sitting's candidates by the ID number in the
 * file name, checked by its bytes (never by its extension), previewed, then stored in one transaction.
 */
import type { Knex } from 'knex';
import type { z } from 'zod';
import {
  PHOTO_MAX_BYTES,
  type PhotoImportOutput,
  type PhotoImportResult,
  type photoImportFileSchema,
} from '../../shared/contract/candidates-api';
import { normalizeIdInput, validateIdNumber } from '../../shared/domain/id-number';
import { maskIdNumber } from '../../shared/domain/id-types';
import { appendAudit, type Actor } from '../audit/chain';
import { appError } from '../base/errors';
import { savePhoto } from '../photos/photos.service';
import { sniffPhotoMime } from '../photos/photo-format';
import { publishAfterCommit, type Kernel } from '../base/kernel';

export type PhotoImportFile = z.infer<typeof photoImportFileSchema>;

/** The size range the registration rules ask for; outside it is a warning, not a refusal. */
export const PHOTO_MIN_RECOMMENDED_BYTES = 40 * 1024;
export const PHOTO_MAX_RECOMMENDED_BYTES = 200 * 1024;

interface RosterPerson {
  id: number;
  name: string;
  id_number: string;
  photo_id: number | null;
}

/** What a file name says: the ID number, and the name when the file name carries one. */
export type ParsedPhotoName =
  { ok: true; idNumber: string; name: string | null } | { ok: false; reason: string };

const SEPARATORS = /[_＿\-－]/;
const EXTENSION = /\.[A-Za-z0-9]{1,5}$/;
/** An ID-like part: letters and digits only, with at least four digits (names never have digits). */
function looksLikeIdNumber(part: string): boolean {
  return /^[0-9A-Z]{6,40}$/.test(part) && /\d{4}/.test(part);
}

const compactName = (s: string) => s.replace(/[\s\u3000]/g, '');

/** `姓名_身份证号.jpg`, `身份证号.jpg` or `身份证号_姓名.png` → the ID number (normalised) and the name. */
export function parsePhotoFileName(fileName: string): ParsedPhotoName {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(EXTENSION, '')
    .trim();
  const split = (sep: RegExp) =>
    base
      .split(sep)
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
  // 张三 110105….jpg: a space as the only separator.
  let parts = split(SEPARATORS);
  if (parts.length === 1) parts = split(/[\s\u3000]+/);
  const ids = parts.map((p) => normalizeIdInput(p).toUpperCase());
  const idIndexes = ids.flatMap((id, i) => (looksLikeIdNumber(id) ? [i] : []));
  const noId = { ok: false as const, reason: '文件名中没有证件号码（应为「姓名_身份证号.jpg」）' };
  if (idIndexes.length !== 1 || parts.length > 2) {
    return idIndexes.length === 0
      ? noId
      : { ok: false, reason: '文件名应为「姓名_身份证号.jpg」或「身份证号.jpg」' };
  }
  const idIndex = idIndexes[0] ?? 0;
  const namePart = parts.length === 2 ? (parts[1 - idIndex] ?? null) : null;
  return { ok: true, idNumber: ids[idIndex] ?? '', name: namePart === null ? null : compactName(namePart) };
}

function kb(bytes: number): string {
  const k = bytes / 1024;
  return `${k < 10 ? Number(k.toFixed(1)) : Math.round(k)} KB`;
}

/** Why these bytes cannot be a roster photo, or null. */
function bytesProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return '文件为空';
  if (bytes.length > PHOTO_MAX_BYTES) return `文件过大（超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB）`;
  const mime = sniffPhotoMime(bytes);
  if (mime !== 'image/jpeg' && mime !== 'image/png') return '不是 JPEG 或 PNG 图片（按文件内容判断）';
  return null;
}

function photoWarnings(bytes: Uint8Array): string[] {
  const warnings: string[] = [];
  if (bytes.length < PHOTO_MIN_RECOMMENDED_BYTES) {
    warnings.push(`文件小于 40 KB（${kb(bytes.length)}），照片可能不清晰`);
  } else if (bytes.length > PHOTO_MAX_RECOMMENDED_BYTES) {
    warnings.push(`文件大于 200 KB（${kb(bytes.length)}）`);
  }
  if (sniffPhotoMime(bytes) === 'image/png') warnings.push('PNG 图片（报名要求为 JPG）');
  return warnings;
}

interface Checked {
  result: PhotoImportResult;
  bytes: Uint8Array;
}

export class CandidatePhotosService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  /**
   * Check every file against the sitting's roster; with `commit`, store the ok ones (kind 'roster') and
   * point the candidates at them, all in one transaction with one audit entry. Refused files are never
   * stored; a failure while storing leaves nothing behind.
   */
  async importPhotos(
    actor: Actor,
    input: { sittingId: number; files: PhotoImportFile[]; commit: boolean },
  ): Promise<PhotoImportOutput> {
    const checkAll = async (db: Knex | Knex.Transaction) => {
      const sitting = await db('sittings')
        .where({ id: input.sittingId })
        .first<{ id: number } | undefined>('id');
      if (!sitting) throw appError('NOT_FOUND', `考试批次 ${input.sittingId} 不存在`, { field: 'sittingId' });
      const people = await db('candidates')
        .where({ sitting_id: input.sittingId })
        .select<RosterPerson[]>('id', 'name', 'id_number', 'photo_id');
      const checked = this.check(input.files, people);
      const ok = checked.filter((c) => c.result.status === 'ok');
      const output: PhotoImportOutput = {
        committed: input.commit,
        files: checked.map((c) => c.result),
        ok: ok.length,
        refused: checked.length - ok.length,
        replaced: ok.filter((c) => c.result.status === 'ok' && c.result.replaces).length,
        stored: 0,
      };
      return { checked, output, people };
    };
    if (!input.commit) return (await checkAll(this.knex)).output;

    return this.kernel.transaction(async (trx) => {
      const { checked, output, people } = await checkAll(trx);
      const previousPhoto = new Map(
        people.map((p) => [Number(p.id), p.photo_id === null ? null : Number(p.photo_id)]),
      );
      const stored: { candidateId: number; photoId: number; previousPhotoId: number | null }[] = [];
      for (const [i, c] of checked.entries()) {
        if (c.result.status !== 'ok') continue;
        const candidateId = c.result.candidateId;
        const photoId = await savePhoto(trx, {
          candidateId,
          kind: 'roster',
          bytes: c.bytes,
          createdBy: actor.id,
          label: `第 ${i + 1} 个文件「${c.result.fileName}」`,
        });
        await trx('candidates').where({ id: candidateId }).update({ photo_id: photoId });
        stored.push({ candidateId, photoId, previousPhotoId: previousPhoto.get(candidateId) ?? null });
      }
      if (stored.length === 0) return output;
      publishAfterCommit(trx, { type: 'candidates.changed', sittingId: input.sittingId });
      await appendAudit(trx, {
        actor,
        action: 'candidates.importPhotos',
        entity: 'sitting',
        entityId: input.sittingId,
        before: {
          photos: stored
            .filter((s) => s.previousPhotoId !== null)
            .map((s) => ({ candidateId: s.candidateId, photoId: s.previousPhotoId })),
        },
        after: {
          count: stored.length,
          replaced: output.replaced,
          refused: output.refused,
          photos: stored.map((s) => ({ candidateId: s.candidateId, photoId: s.photoId })),
        },
      });
      return { ...output, stored: stored.length };
    });
  }

  private check(files: PhotoImportFile[], people: RosterPerson[]): Checked[] {
    const byIdNumber = new Map(people.map((p) => [p.id_number.toUpperCase(), p]));
    const first = files.map((file): { checked: Checked; person: RosterPerson | null } => {
      const bytes = new Uint8Array(Buffer.from(file.dataBase64, 'base64'));
      const refuse = (reason: string, person: RosterPerson | null = null) => ({
        checked: {
          result: {
            status: 'refused' as const,
            fileName: file.name,
            candidateName: person?.name ?? null,
            reason,
          },
          bytes,
        },
        person: null,
      });
      const parsed = parsePhotoFileName(file.name);
      let person: RosterPerson | null = null;
      if (parsed.ok) {
        person = byIdNumber.get(parsed.idNumber) ?? null;
        if (!person) {
          // A legacy 15-digit number in the file name: the roster holds the converted 18-digit one.
          const v = validateIdNumber(parsed.idNumber);
          if (v.ok) person = byIdNumber.get(v.idNumber) ?? null;
        }
      }
      const problem = bytesProblem(bytes);
      if (problem) return refuse(problem, person);
      if (!parsed.ok) return refuse(parsed.reason);
      if (!person) return refuse(`证件号码 ${maskIdNumber(parsed.idNumber)} 不在本批次考生名单中`);
      if (parsed.name !== null && parsed.name !== compactName(person.name)) {
        return refuse(`文件名中的姓名「${parsed.name}」与名单中的姓名「${person.name}」不一致`, person);
      }
      return {
        checked: {
          result: {
            status: 'ok',
            fileName: file.name,
            candidateId: Number(person.id),
            candidateName: person.name,
            idNumberMasked: maskIdNumber(person.id_number),
            replaces: person.photo_id !== null,
            warnings: photoWarnings(bytes),
          },
          bytes,
        },
        person,
      };
    });

    // The same candidate in two files of one upload: which photo is right is for a person to decide.
    const filesOf = new Map<number, string[]>();
    for (const { checked, person } of first) {
      if (person) {
        filesOf.set(Number(person.id), [...(filesOf.get(Number(person.id)) ?? []), checked.result.fileName]);
      }
    }
    return first.map(({ checked, person }) => {
      const names = person ? (filesOf.get(Number(person.id)) ?? []) : [];
      if (!person || names.length < 2) return checked;
      // The same file selected twice has no other name to point at: name itself.
      const others = names.filter((n) => n !== checked.result.fileName);
      const seeAlso = (others.length > 0 ? others : [checked.result.fileName])
        .map((n) => `「${n}」`)
        .join('、');
      return {
        bytes: checked.bytes,
        result: {
          status: 'refused',
          fileName: checked.result.fileName,
          candidateName: person.name,
          reason: `同一考生「${person.name}」在本次上传中有多个文件（另见${seeAlso}），请只保留一个`,
        },
      };
    });
  }

  /** Upload (bytes) or remove (null) one candidate's roster photo; audited. */
  async setPhoto(
    actor: Actor,
    input: { candidateId: number; dataBase64: string | null },
  ): Promise<{ photoId: number | null; sittingId: number }> {
    return this.kernel.transaction(async (trx) => {
      const candidate = await trx('candidates')
        .where({ id: input.candidateId })
        .first<{ id: number; name: string; sitting_id: number; photo_id: number | null } | undefined>(
          'id',
          'name',
          'sitting_id',
          'photo_id',
        );
      if (!candidate) {
        throw appError('NOT_FOUND', `考生 ${input.candidateId} 不存在`, { field: 'candidateId' });
      }
      const before = candidate.photo_id === null ? null : Number(candidate.photo_id);
      const sittingId = Number(candidate.sitting_id);
      publishAfterCommit(trx, { type: 'candidates.changed', sittingId });
      if (input.dataBase64 === null) {
        if (before === null) return { photoId: null, sittingId };
        await trx('candidates').where({ id: candidate.id }).update({ photo_id: null });
        await appendAudit(trx, {
          actor,
          action: 'candidates.removePhoto',
          entity: 'candidate',
          entityId: Number(candidate.id),
          before: { photoId: before },
          after: { photoId: null },
        });
        return { photoId: null, sittingId };
      }
      const bytes = new Uint8Array(Buffer.from(input.dataBase64, 'base64'));
      const problem = bytesProblem(bytes);
      if (problem) {
        throw appError('BAD_REQUEST', `考生「${candidate.name}」的照片：${problem}`, { field: 'dataBase64' });
      }
      const photoId = await savePhoto(trx, {
        candidateId: Number(candidate.id),
        kind: 'roster',
        bytes,
        createdBy: actor.id,
        label: `考生「${candidate.name}」的照片`,
      });
      await trx('candidates').where({ id: candidate.id }).update({ photo_id: photoId });
      await appendAudit(trx, {
        actor,
        action: 'candidates.setPhoto',
        entity: 'candidate',
        entityId: Number(candidate.id),
        before: { photoId: before },
        after: { photoId, bytes: bytes.length },
      });
      return { photoId, sittingId };
    });
  }
}
