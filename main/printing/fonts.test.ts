/**
 * fonts.ts: the configured font first, then the platform's; a font without Chinese glyphs or a wrong
 * face name is passed over with a reason; nothing usable → one Chinese error listing every place searched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/cups-pdf-inspect';
import { PrintingError } from './errors';
import { cjkFontCandidates, findCjkFont, readFontFaces } from './fonts';

const NOTO = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const WQY = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

describe('CJK font discovery', () => {
  it('lists the platform defaults in the documented order', () => {
    const win = cjkFontCandidates('win32', { WINDIR: 'D:\\Windows' });
    expect(win.map((c) => [c.path, c.postscriptName])).toEqual([
      ['D:\\Windows\\Fonts\\simhei.ttf', null],
      ['D:\\Windows\\Fonts\\simsun.ttc', 'SimSun'],
      ['D:\\Windows\\Fonts\\msyh.ttc', 'MicrosoftYaHei'],
    ]);
    expect(cjkFontCandidates('win32', {})[0]?.path).toBe('C:\\Windows\\Fonts\\simhei.ttf');
    expect(cjkFontCandidates('linux', {})[0]).toMatchObject({
      path: NOTO,
      postscriptName: 'NotoSansCJKsc-Regular',
    });
    expect(cjkFontCandidates('linux', {}).map((c) => path.basename(c.path))).toContain('wqy-microhei.ttc');
    expect(cjkFontCandidates('darwin', {})[0]).toMatchObject({ postscriptName: 'PingFangSC-Regular' });
  });

  it('finds Noto Sans CJK SC on this Linux machine (fonts-noto-cjk)', async () => {
    const f = await findCjkFont({ platform: 'linux' });
    expect(f).toMatchObject({
      path: NOTO,
      postscriptName: 'NotoSansCJKsc-Regular',
      source: 'platform',
      notes: [],
    });
    expect(f.ascent).toBeCloseTo(1.16, 3);
    expect(f.descent).toBeCloseTo(-0.288, 3);
    expect(f.data.byteLength).toBe(fs.statSync(NOTO).size);
  });

  it('uses the configured font first', async () => {
    const f = await findCjkFont({
      configuredPath: NOTO,
      configuredPostscriptName: 'NotoSansCJKtc-Regular',
      platform: 'linux',
    });
    expect(f).toMatchObject({ source: 'setting', postscriptName: 'NotoSansCJKtc-Regular' });
  });

  it.runIf(fs.existsSync(WQY))(
    'picks a face of a configured .ttc by itself (WenQuanYi Micro Hei)',
    async () => {
      const f = await findCjkFont({ configuredPath: WQY, platform: 'linux' });
      expect(f).toMatchObject({ source: 'setting', path: WQY, postscriptName: 'WenQuanYiMicroHei' });
    },
  );

  it('passes over a configured font without Chinese glyphs or with a wrong face, saying why', async () => {
    const latin = await findCjkFont({ configuredPath: DEJAVU, platform: 'linux' });
    expect(latin.source).toBe('platform');
    expect(latin.notes).toEqual([`设置中的字体 ${DEJAVU}：「DejaVuSans」缺少中文或数字字形`]);

    const wrongFace = await findCjkFont({
      configuredPath: NOTO,
      configuredPostscriptName: 'SimSun',
      platform: 'linux',
    });
    expect(wrongFace.source).toBe('platform');
    expect(wrongFace.notes[0]).toContain('字体集合中没有「SimSun」');
    expect(wrongFace.notes[0]).toContain('NotoSansCJKsc-Regular');
  });

  it('nothing usable → FONT_NOT_FOUND naming every place searched, in Chinese', async () => {
    const tmp = tempDir();
    try {
      const junk = path.join(tmp.dir, 'junk.ttf');
      fs.writeFileSync(junk, 'not a font at all');
      const err = await findCjkFont({
        configuredPath: junk,
        platform: 'win32',
        env: { WINDIR: tmp.dir },
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PrintingError);
      const e = err as PrintingError;
      expect(e.code).toBe('FONT_NOT_FOUND');
      expect(e.message).toContain('未找到可用的中文字体');
      expect(e.message).toContain(`设置中的字体 ${junk}：不是 TrueType/OpenType 字体`);
      for (const f of ['simhei.ttf', 'simsun.ttc（SimSun）', 'msyh.ttc（MicrosoftYaHei）']) {
        expect(e.message).toContain(`${path.win32.join(tmp.dir, 'Fonts', f)}：不存在`);
      }
      expect(e.message).toContain('打印设置');

      const none = await findCjkFont({ platform: 'win32', env: { WINDIR: tmp.dir } }).catch(
        (x: unknown) => x,
      );
      expect((none as PrintingError).message).toContain('设置中的字体：未设置');
    } finally {
      tmp.cleanup();
    }
  });

  it('reads the faces of collections and single fonts; rejects garbage', () => {
    const noto = readFontFaces(fs.readFileSync(NOTO));
    expect(noto.collection).toBe(true);
    expect(noto.faces.map((f) => f.postscriptName)).toContain('NotoSansCJKsc-Regular');
    expect(noto.faces.every((f) => f.coversCjk)).toBe(true);
    const dejavu = readFontFaces(fs.readFileSync(DEJAVU));
    expect(dejavu).toMatchObject({
      collection: false,
      faces: [{ postscriptName: 'DejaVuSans', coversCjk: false }],
    });
    expect(() => readFontFaces(new Uint8Array([0, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]))).toThrow();
    expect(() => readFontFaces(new Uint8Array(4))).toThrow('文件太短');
  });
});
