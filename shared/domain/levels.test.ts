import { describe, expect, it } from 'vitest';
import { defaultComponentsFor, LEVEL_NAMES, parseLevel } from './levels';

describe('parseLevel', () => {
  it.each([
    ['四级', 4],
    ['4', 4],
    ['４', 4],
    ['4级', 4],
    ['４级', 4],
    ['4.0', 4],
    ['中级工', 4],
    ['中级', 4],
    ['四级/中级工', 4],
    ['四级／中级工', 4],
    ['四级（中级工）', 4],
    ['四级(中级工)', 4],
    ['四级 中级工', 4],
    ['四级中级工', 4],
    ['中级工/四级', 4],
    ['  四级/中级工  ', 4],
    ['\u3000四级\u3000', 4],
    ['国家职业资格四级', 4],
    ['高级技师', 1],
    ['一级/高级技师', 1],
    ['一级', 1],
    ['1', 1],
    ['技师', 2],
    ['二级/技师', 2],
    ['二级技师', 2],
    ['高级工', 3],
    ['高级', 3],
    ['三级/高级工', 3],
    ['初级', 5],
    ['初级工', 5],
    ['五级/初级工', 5],
    ['五级', 5],
    ['5级', 5],
  ])('%j → %i', (text, level) => {
    expect(parseLevel(text)).toBe(level);
  });

  it('keeps 高级技师, 技师 and 高级工 apart', () => {
    expect(parseLevel('高级技师')).toBe(1);
    expect(parseLevel('技师')).toBe(2);
    expect(parseLevel('高级工')).toBe(3);
    expect(parseLevel('高级')).toBe(3);
  });

  it('round-trips every LEVEL_NAMES entry', () => {
    for (const [digit, name] of Object.entries(LEVEL_NAMES)) expect(parseLevel(name)).toBe(Number(digit));
  });

  it.each([
    '',
    '   ',
    '0',
    '6',
    '12',
    '六级',
    'Ⅳ',
    'IV',
    '学徒工',
    '特级技师',
    '首席技师',
    '预备技师',
    '技',
    '高级技',
    '四级/高级工', // contradicts itself
    '二级/高级技师', // contradicts itself
    '四级/中级工/四级',
    '中级工程师',
    'abc',
  ])('%j → null', (text) => {
    expect(parseLevel(text)).toBeNull();
  });
});

describe('defaultComponentsFor', () => {
  it('adds the comprehensive review for 二级 and 一级 only', () => {
    expect(defaultComponentsFor(1)).toContain('comprehensive');
    expect(defaultComponentsFor(2)).toContain('comprehensive');
    expect(defaultComponentsFor(3)).not.toContain('comprehensive');
  });
});
