/**
 * Finding a CJK font for the PDFs (devices.md §5.7, toolchain pitfall 9).
 *
 * Order: the font configured in the printing settings, then the platform's usual fonts:
 * - Windows: %WINDIR%\Fonts\simhei.ttf (黑体), simsun.ttc (宋体, face SimSun), msyh.ttc (微软雅黑,
 *   face MicrosoftYaHei);
 * - Linux: Noto Sans CJK SC (.ttc, face NotoSansCJKsc-Regular; Debian/Ubuntu, Arch and Fedora paths),
 *   then WenQuanYi Micro Hei;
 * - macOS: PingFang (face PingFangSC-Regular), Hiragino Sans GB.
 * A candidate is used only if it parses as a TrueType/OpenType font (or collection), the face exists,
 * and it has glyphs for Chinese text and for digits. When a configured font cannot be used the search
 * goes on and the reason is kept in `notes`; when nothing is usable, the error lists every place searched.
 *
 * The font is parsed here (table directory, name, head, hhea, cmap) only to choose the face and read
 * its vertical metrics; pdfkit (fontkit) embeds it as a subset.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PrintingError } from './errors';
import type { LoadedFont } from './types';

export interface FontCandidate {
  path: string;
  /** Face to use in a collection; null = choose (single-face files need none). */
  postscriptName: string | null;
  /** Where this candidate comes from. */
  source: 'setting' | 'platform';
}

export interface FontFace {
  postscriptName: string;
  /** hhea ascender / unitsPerEm. */
  ascent: number;
  /** hhea descender / unitsPerEm (negative). */
  descent: number;
  /** Has a glyph for every code point of CJK_PROBE. */
  coversCjk: boolean;
}

export interface FindFontOptions {
  /** The configured font file (setting), tried first. */
  configuredPath?: string | null;
  /** Face inside a configured .ttc. */
  configuredPostscriptName?: string | null;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

export interface FoundFont extends LoadedFont {
  source: 'setting' | 'platform';
  /** Why earlier candidates (e.g. the configured font) were not used; empty when the first one was. */
  notes: string[];
}

/** Code points a usable font must have: 准考证 / 签到表 words and the digits. */
const CJK_PROBE = [...'准考证号姓名签到座位职业技能等级认定须知第页共0123456789X'].map(
  (c) => c.codePointAt(0) ?? 0,
);

/** Faces preferred inside a collection when none is configured (Simplified Chinese first). */
const PREFERRED_FACES = [
  'NotoSansCJKsc-Regular',
  'SourceHanSansSC-Regular',
  'SimSun',
  'MicrosoftYaHei',
  'PingFangSC-Regular',
  'HiraginoSansGB-W3',
  'WenQuanYiMicroHei',
  'NotoSerifCJKsc-Regular',
];

/** The platform's usual CJK fonts, in the order they are tried. */
export function cjkFontCandidates(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): FontCandidate[] {
  const p = (file: string, postscriptName: string | null): FontCandidate => ({
    path: file,
    postscriptName,
    source: 'platform',
  });
  if (platform === 'win32') {
    const fontsDir = path.win32.join(env.WINDIR ?? env.SystemRoot ?? 'C:\\Windows', 'Fonts');
    return [
      p(path.win32.join(fontsDir, 'simhei.ttf'), null),
      p(path.win32.join(fontsDir, 'simsun.ttc'), 'SimSun'),
      p(path.win32.join(fontsDir, 'msyh.ttc'), 'MicrosoftYaHei'),
    ];
  }
  if (platform === 'darwin') {
    return [
      p('/System/Library/Fonts/PingFang.ttc', 'PingFangSC-Regular'),
      p('/System/Library/Fonts/Hiragino Sans GB.ttc', 'HiraginoSansGB-W3'),
    ];
  }
  return [
    p('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'),
    p('/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'),
    p('/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'),
    p('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', null),
    p('/usr/share/fonts/wqy-microhei/wqy-microhei.ttc', null),
  ];
}

// ---- sfnt parsing (just enough) ------------------------------------------------------------------

class FontParseError extends Error {}

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

function tag(dv: DataView, at: number): string {
  return String.fromCharCode(dv.getUint8(at), dv.getUint8(at + 1), dv.getUint8(at + 2), dv.getUint8(at + 3));
}

function tables(dv: DataView, faceOffset: number): Map<string, { offset: number; length: number }> {
  const version = dv.getUint32(faceOffset);
  if (version !== 0x00010000 && version !== 0x4f54544f /* OTTO */ && version !== 0x74727565 /* true */) {
    throw new FontParseError('不是 TrueType/OpenType 字体');
  }
  const numTables = dv.getUint16(faceOffset + 4);
  const map = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < numTables; i++) {
    const rec = faceOffset + 12 + i * 16;
    const offset = dv.getUint32(rec + 8);
    const length = dv.getUint32(rec + 12);
    if (offset + length > dv.byteLength) throw new FontParseError('字体文件不完整');
    map.set(tag(dv, rec), { offset, length });
  }
  return map;
}

function postscriptNameOf(dv: DataView, name: { offset: number }): string | null {
  const count = dv.getUint16(name.offset + 2);
  const strings = name.offset + dv.getUint16(name.offset + 4);
  let mac: string | null = null;
  for (let i = 0; i < count; i++) {
    const r = name.offset + 6 + i * 12;
    const platformId = dv.getUint16(r);
    const nameId = dv.getUint16(r + 6);
    if (nameId !== 6) continue;
    const length = dv.getUint16(r + 8);
    const at = strings + dv.getUint16(r + 10);
    if (platformId === 3 || platformId === 0) {
      let s = '';
      for (let k = 0; k + 1 < length; k += 2) s += String.fromCharCode(dv.getUint16(at + k));
      return s;
    }
    if (platformId === 1 && mac === null) {
      let s = '';
      for (let k = 0; k < length; k++) s += String.fromCharCode(dv.getUint8(at + k));
      mac = s;
    }
  }
  return mac;
}

/** Does the cmap (format 4 or 12, Unicode) map every code point to a non-zero glyph? */
function cmapCovers(dv: DataView, cmap: { offset: number }, codePoints: number[]): boolean {
  const n = dv.getUint16(cmap.offset + 2);
  let best: { format: number; at: number } | null = null;
  for (let i = 0; i < n; i++) {
    const r = cmap.offset + 4 + i * 8;
    const platformId = dv.getUint16(r);
    const encodingId = dv.getUint16(r + 2);
    const at = cmap.offset + dv.getUint32(r + 4);
    const format = dv.getUint16(at);
    const unicode = platformId === 0 || (platformId === 3 && (encodingId === 1 || encodingId === 10));
    if (!unicode || (format !== 4 && format !== 12)) continue;
    if (best === null || (format === 12 && best.format === 4)) best = { format, at };
  }
  if (best === null) return false;
  const sub = best;
  const glyph = (cp: number): number => {
    if (sub.format === 12) {
      const groups = dv.getUint32(sub.at + 12);
      for (let g = 0; g < groups; g++) {
        const gr = sub.at + 16 + g * 12;
        const start = dv.getUint32(gr);
        const end = dv.getUint32(gr + 4);
        if (cp >= start && cp <= end) return dv.getUint32(gr + 8) + (cp - start);
      }
      return 0;
    }
    if (cp > 0xffff) return 0;
    const segX2 = dv.getUint16(sub.at + 6);
    const ends = sub.at + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      if (cp > dv.getUint16(ends + s)) continue;
      const start = dv.getUint16(starts + s);
      if (cp < start) return 0;
      const delta = dv.getInt16(deltas + s);
      const ro = dv.getUint16(rangeOffsets + s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const gAt = rangeOffsets + s + ro + (cp - start) * 2;
      const g = dv.getUint16(gAt);
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  return codePoints.every((cp) => glyph(cp) !== 0);
}

function readFace(dv: DataView, faceOffset: number): FontFace {
  const t = tables(dv, faceOffset);
  const head = t.get('head');
  const hhea = t.get('hhea');
  const name = t.get('name');
  const cmap = t.get('cmap');
  if (!head || !hhea || !name || !cmap) throw new FontParseError('字体缺少必需的表（head/hhea/name/cmap）');
  const unitsPerEm = dv.getUint16(head.offset + 18);
  if (unitsPerEm === 0) throw new FontParseError('字体的 unitsPerEm 为 0');
  return {
    postscriptName: postscriptNameOf(dv, name) ?? '',
    ascent: dv.getInt16(hhea.offset + 4) / unitsPerEm,
    descent: dv.getInt16(hhea.offset + 6) / unitsPerEm,
    coversCjk: cmapCovers(dv, cmap, CJK_PROBE),
  };
}

/** The faces of a .ttf/.otf (one) or a .ttc collection (several). Throws on anything else. */
export function readFontFaces(data: Uint8Array): { collection: boolean; faces: FontFace[] } {
  const dv = view(data);
  try {
    if (data.byteLength < 12) throw new FontParseError('文件太短');
    if (tag(dv, 0) === 'ttcf') {
      const n = dv.getUint32(8);
      const faces: FontFace[] = [];
      for (let i = 0; i < n; i++) faces.push(readFace(dv, dv.getUint32(12 + i * 4)));
      return { collection: true, faces };
    }
    return { collection: false, faces: [readFace(dv, 0)] };
  } catch (err) {
    if (err instanceof FontParseError) throw err;
    // RangeError from DataView: offsets outside the file.
    throw new FontParseError('字体文件已损坏或格式不受支持', { cause: err });
  }
}

function chooseFace(faces: FontFace[], wanted: string | null): FontFace | string {
  if (wanted !== null) {
    const face = faces.find((f) => f.postscriptName === wanted);
    if (!face) return `字体集合中没有「${wanted}」（有：${faces.map((f) => f.postscriptName).join('、')}）`;
    return face;
  }
  const usable = faces.filter((f) => f.coversCjk);
  for (const name of PREFERRED_FACES) {
    const face = usable.find((f) => f.postscriptName === name);
    if (face) return face;
  }
  return usable.find((f) => /SC|CN|GB/.test(f.postscriptName)) ?? usable[0] ?? '字体中没有中文字形';
}

// ---- find + load -------------------------------------------------------------------------------

interface CacheEntry {
  key: string;
  font: LoadedFont;
}
const cache = new Map<string, CacheEntry>();

/** Load one candidate: the font, or why it cannot be used (Chinese). */
async function tryCandidate(c: FontCandidate): Promise<LoadedFont | string> {
  let stat;
  try {
    stat = await fs.stat(c.path);
  } catch {
    return '不存在';
  }
  if (!stat.isFile()) return '不是文件';
  const key = `${stat.size}:${stat.mtimeMs}:${c.postscriptName ?? ''}`;
  const cached = cache.get(c.path);
  if (cached?.key === key) return cached.font;
  let data: Uint8Array;
  try {
    data = await fs.readFile(c.path);
  } catch (err) {
    return `无法读取：${err instanceof Error ? err.message : String(err)}`;
  }
  let parsed;
  try {
    parsed = readFontFaces(data);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const face = parsed.collection
    ? chooseFace(parsed.faces, c.postscriptName)
    : (parsed.faces[0] ?? '没有字体');
  if (typeof face === 'string') return face;
  if (!face.coversCjk) return `「${face.postscriptName}」缺少中文或数字字形`;
  const font: LoadedFont = {
    path: c.path,
    data,
    postscriptName: parsed.collection ? face.postscriptName : null,
    ascent: face.ascent,
    descent: face.descent,
  };
  cache.set(c.path, { key, font });
  return font;
}

/**
 * Find and load a CJK font: the configured one first, then the platform defaults. Throws
 * PrintingError FONT_NOT_FOUND naming every place searched and why each was not used.
 */
export async function findCjkFont(opts: FindFontOptions = {}): Promise<FoundFont> {
  const platform = opts.platform ?? process.platform;
  const candidates: FontCandidate[] = [];
  const configured = opts.configuredPath?.trim();
  if (configured) {
    candidates.push({
      path: configured,
      postscriptName: opts.configuredPostscriptName?.trim() || null,
      source: 'setting',
    });
  }
  candidates.push(...cjkFontCandidates(platform, opts.env ?? process.env));

  const notes: string[] = [];
  for (const c of candidates) {
    const r = await tryCandidate(c);
    const label = `${c.source === 'setting' ? '设置中的字体 ' : ''}${c.path}${c.postscriptName ? `（${c.postscriptName}）` : ''}`;
    if (typeof r !== 'string') return { ...r, source: c.source, notes };
    notes.push(`${label}：${r}`);
  }
  if (!configured) notes.unshift('设置中的字体：未设置');
  throw new PrintingError(
    'FONT_NOT_FOUND',
    [
      '未找到可用的中文字体，无法生成打印文件。已查找：',
      ...notes.map((n) => `  • ${n}`),
      '请安装中文字体（如 Windows 的黑体/宋体、Linux 的 fonts-noto-cjk），或在「打印设置」中选择一个中文字体文件（.ttf / .otf / .ttc）。',
    ].join('\n'),
  );
}
