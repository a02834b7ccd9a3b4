/**
 * The five certification levels (domain.md §2.1). The level digit is inverted: 1 is the highest
 * (一级/高级技师), 5 the lowest (五级/初级工).
 */
export const LEVELS = [1, 2, 3, 4, 5] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES: Record<Level, string> = {
  1: '一级/高级技师',
  2: '二级/技师',
  3: '三级/高级工',
  4: '四级/中级工',
  5: '五级/初级工',
};

/** The assessment components (domain.md §2.1). */
export const COMPONENTS = ['theory', 'practical', 'comprehensive'] as const;
export type Component = (typeof COMPONENTS)[number];

export const COMPONENT_NAMES: Record<Component, string> = {
  theory: '理论知识考试',
  practical: '操作技能考核',
  comprehensive: '综合评审',
};

/** The default components a level takes: 二级 and 一级 add the comprehensive review. */
export function defaultComponentsFor(level: Level): Component[] {
  return level <= 2 ? ['theory', 'practical', 'comprehensive'] : ['theory', 'practical'];
}

/**
 * The spellings of each level accepted on import, after normalisation (no spaces, half-width digits).
 * Exact tokens only: 高级技师 (1) ≠ 技师 (2) ≠ 高级工/高级 (3).
 */
const LEVEL_TOKENS: ReadonlyMap<string, Level> = new Map<string, Level>([
  ['1', 1],
  ['2', 2],
  ['3', 3],
  ['4', 4],
  ['5', 5],
  ['一', 1],
  ['二', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['1级', 1],
  ['2级', 2],
  ['3级', 3],
  ['4级', 4],
  ['5级', 5],
  ['一级', 1],
  ['二级', 2],
  ['三级', 3],
  ['四级', 4],
  ['五级', 5],
  ['高级技师', 1],
  ['技师', 2],
  ['高级工', 3],
  ['高级', 3],
  ['中级工', 4],
  ['中级', 4],
  ['初级工', 5],
  ['初级', 5],
]);

/** Prefixes that may precede the level ("国家职业资格四级", "职业技能等级二级/技师"). */
const LEVEL_PREFIX_RE = /^(国家职业资格|职业资格|职业技能等级)/;
/** "四级中级工", "2级技师": a level number immediately followed by a level name. */
const NUMBER_THEN_NAME_RE = /^([1-5一二三四五]级)(.+)$/;

function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * Parse a level as written in a roster or typed by a user: "四级", "4", "４", "4级", "中级工", "中级",
 * "四级/中级工", "四级（中级工）", "高级技师", "一级/高级技师", "技师", "初级", "五级/初级工"… with
 * surrounding spaces. When the text names a level twice ("四级/中级工") both parts must agree.
 * Roman numerals (Ⅳ) and the 8-level-only grades (学徒工, 特级技师, 首席技师) are not accepted.
 * Returns null for anything else.
 */
export function parseLevel(text: string): Level | null {
  const quick = LEVEL_TOKENS.get(text.trim());
  if (quick !== undefined) return quick;
  let s = toAsciiDigits(text.replace(/[\s\u3000]+/g, ''));
  s = s.replace(LEVEL_PREFIX_RE, '');
  if (s === '') return null;
  // Excel may hand over 4 as "4.0".
  if (/^[1-5]\.0+$/.test(s)) s = s.charAt(0);
  const parts = s
    .replace(/[)）]$/, '')
    .split(/[/／\\、,，()（）\-—–]+/)
    .filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 2) return null;
  let found: Level | null = null;
  for (const part of parts) {
    const pieces: string[] = [];
    const direct = LEVEL_TOKENS.get(part);
    if (direct !== undefined) {
      pieces.push(part);
    } else {
      const m = NUMBER_THEN_NAME_RE.exec(part);
      if (!m?.[1] || !m[2]) return null;
      pieces.push(m[1], m[2]);
    }
    for (const piece of pieces) {
      const level = LEVEL_TOKENS.get(piece);
      if (level === undefined) return null;
      if (found !== null && found !== level) return null;
      found = level;
    }
  }
  return found;
}
