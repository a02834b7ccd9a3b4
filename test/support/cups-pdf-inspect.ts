/**
 * Looking into PDFs with poppler-utils, for the printing tests: page sizes (pdfinfo), word boxes
 * (pdftotext -bbox), text, fonts (pdffonts) and renderings (pdftoppm → PNG) compared with pixelmatch.
 * cups-pdf's output is re-distilled by Ghostscript and has no usable text (toolchain.md pitfall 9), so
 * it is compared by page size and rendered image; the composed PDFs are checked by their text too.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** A temp folder for one test file; removed by the returned cleanup. */
export function tempDir(prefix = 'exam-site-printing-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function writePdf(dir: string, name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

export interface PageSize {
  page: number;
  width: number;
  height: number;
}

/** Every page's size in pt (pdfinfo prints up to 3 decimals). */
export function pageSizes(file: string): PageSize[] {
  const out = run('pdfinfo', ['-f', '1', '-l', '100000', file]);
  const sizes: PageSize[] = [];
  for (const m of out.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)) {
    sizes.push({ page: Number(m[1]), width: Number(m[2]), height: Number(m[3]) });
  }
  return sizes;
}

export function pageCount(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]))?.[1] ?? NaN);
}

export interface Word {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Word boxes from `pdftotext -bbox` (pt, top-left origin). */
export function words(file: string): Word[] {
  const out = run('pdftotext', ['-bbox', file, '-']);
  const list: Word[] = [];
  let page = 0;
  for (const line of out.split('\n')) {
    if (/<page /.test(line)) page += 1;
    const m = /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*)<\/word>/.exec(
      line,
    );
    if (m) {
      list.push({
        page,
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: unescapeXml(m[5] ?? ''),
      });
    }
  }
  return list;
}

/**
 * The text of one page or all (`pdftotext -layout`; with `raw`, `-raw`: content-stream order, which
 * keeps the narrow spaces that layout mode drops, e.g. in 第 1 页 共 3 页).
 */
export function text(file: string, page?: number, mode: 'layout' | 'raw' = 'layout'): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return run('pdftotext', [`-${mode}`, ...range, file, '-']);
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** `pdffonts` rows. */
export function fonts(file: string): FontRow[] {
  const lines = run('pdffonts', [file]).split('\n').slice(2);
  return lines
    .filter((l) => l.trim() !== '')
    .map((l) => {
      // name  type (may contain spaces)  encoding  emb sub uni  object ID
      const m = /^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(l);
      if (!m) throw new Error(`cannot parse pdffonts line: ${l}`);
      return {
        name: m[1] ?? '',
        type: m[2] ?? '',
        embedded: m[4] === 'yes',
        subset: m[5] === 'yes',
        unicode: m[6] === 'yes',
      };
    });
}

/** Render one page to PNG at `dpi` (grey anti-aliasing as poppler does it). */
export function renderPage(file: string, dpi: number, page = 1): PNG {
  const { dir, cleanup } = tempDir('exam-site-render-');
  try {
    const base = path.join(dir, 'page');
    run('pdftoppm', [
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      '-png',
      file,
      base,
    ]);
    return PNG.sync.read(fs.readFileSync(`${base}.png`));
  } finally {
    cleanup();
  }
}

export interface ImageDiff {
  width: number;
  height: number;
  differing: number;
  /** differing / (width × height). */
  fraction: number;
  diff: PNG;
}

/** pixelmatch two renderings of the same size; `threshold` is pixelmatch's colour threshold (0–1). */
export function compareImages(a: PNG, b: PNG, threshold = 0.2): ImageDiff {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`renderings differ in size: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
  const diff = new PNG({ width: a.width, height: a.height });
  const differing = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold });
  return { width: a.width, height: a.height, differing, fraction: differing / (a.width * a.height), diff };
}

/** Write a diff image under test-results/printing/ (kept for a failed run) and return its path. */
export function saveDiff(name: string, diff: ImageDiff, images: { expected: PNG; actual: PNG }): string {
  const dir = path.resolve('test-results', 'printing');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-diff.png`);
  fs.writeFileSync(file, PNG.sync.write(diff.diff));
  fs.writeFileSync(path.join(dir, `${name}-expected.png`), PNG.sync.write(images.expected));
  fs.writeFileSync(path.join(dir, `${name}-actual.png`), PNG.sync.write(images.actual));
  return file;
}
