/**
 * Roster photo uploads larger than one call allows go in batches; a candidate that turns up in two
 * batches is refused in both, as the server does within one batch.
 */
import {
  PHOTO_IMPORT_MAX_BASE64,
  PHOTO_IMPORT_MAX_FILES,
  PHOTO_MAX_BYTES,
  type PhotoImportResult,
} from '../../../shared/contract/candidates-api';

export interface PhotoFile {
  name: string;
  dataBase64: string;
}

/** Split files into calls of at most `maxFiles` files and `maxBase64` characters each. */
export function photoBatches<T extends PhotoFile>(
  files: readonly T[],
  maxFiles = PHOTO_IMPORT_MAX_FILES,
  maxBase64 = PHOTO_IMPORT_MAX_BASE64,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length > 0 && (current.length >= maxFiles || size + f.dataBase64.length > maxBase64)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.dataBase64.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The part of a file that is sent: all of it, or for a file over the limit one byte more than the limit
 * (the server then refuses it by name as too big, without the whole upload failing).
 */
export function sendablePart(file: Blob): Blob {
  return file.size > PHOTO_MAX_BYTES ? file.slice(0, PHOTO_MAX_BYTES + 1) : file;
}

/**
 * Results of several batches in file order; an ok file whose candidate is also ok in another batch is
 * refused with `duplicateReason(name, otherFileNames)`.
 */
export function mergeBatchResults(
  batches: readonly (readonly PhotoImportResult[])[],
  duplicateReason: (candidateName: string, otherFiles: string[]) => string,
): PhotoImportResult[] {
  const all = batches.flat();
  const filesOf = new Map<number, string[]>();
  for (const r of all) {
    if (r.status === 'ok') filesOf.set(r.candidateId, [...(filesOf.get(r.candidateId) ?? []), r.fileName]);
  }
  return all.map((r) => {
    if (r.status !== 'ok') return r;
    const names = filesOf.get(r.candidateId) ?? [];
    if (names.length < 2) return r;
    return {
      status: 'refused',
      fileName: r.fileName,
      candidateName: r.candidateName,
      reason: duplicateReason(
        r.candidateName,
        names.filter((n) => n !== r.fileName),
      ),
    };
  });
}

export interface PhotoImportSummary {
  ok: number;
  refused: number;
  replaced: number;
}

export function summarize(results: readonly PhotoImportResult[]): PhotoImportSummary {
  const ok = results.filter((r) => r.status === 'ok');
  return {
    ok: ok.length,
    refused: results.length - ok.length,
    replaced: ok.filter((r) => r.status === 'ok' && r.replaces).length,
  };
}
