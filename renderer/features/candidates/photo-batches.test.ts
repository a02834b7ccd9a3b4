import { describe, expect, it } from 'vitest';
import type { PhotoImportResult } from '../../../shared/contract/candidates-api';
import { mergeBatchResults, photoBatches, summarize } from './photo-batches';

const f = (name: string, size: number) => ({ name, dataBase64: 'A'.repeat(size) });
const ok = (fileName: string, candidateId: number, replaces = false): PhotoImportResult => ({
  status: 'ok',
  fileName,
  candidateId,
  candidateName: `考生${candidateId}`,
  idNumberMasked: '1101**********0010',
  replaces,
  warnings: [],
});

describe('photo batches', () => {
  it('splits by file count and by size, never leaving a batch empty', () => {
    const files = [f('a', 4), f('b', 4), f('c', 4), f('d', 20), f('e', 1)];
    expect(photoBatches(files, 2, 100).map((b) => b.map((x) => x.name))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ]);
    expect(photoBatches(files, 10, 10).map((b) => b.map((x) => x.name))).toEqual([
      ['a', 'b'],
      ['c'],
      ['d'],
      ['e'],
    ]);
  });

  it('refuses a candidate who is ok in two batches, naming the other file, and counts the rest', () => {
    const merged = mergeBatchResults(
      [[ok('1.jpg', 1), ok('2.jpg', 2, true)], [ok('1b.jpg', 1)]],
      (name, others) => `${name} 重复：${others.join('、')}`,
    );
    expect(merged.map((r) => (r.status === 'ok' ? 'ok' : r.reason))).toEqual([
      '考生1 重复：1b.jpg',
      'ok',
      '考生1 重复：1.jpg',
    ]);
    expect(summarize(merged)).toEqual({ ok: 1, refused: 2, replaced: 1 });
  });
});
