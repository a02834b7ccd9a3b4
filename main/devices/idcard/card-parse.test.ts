import { describe, expect, it } from 'vitest';
import { validateIdNumber } from '../../../shared/domain/id-number';
import {
  cardTypeOf,
  encodeAppendedAddress,
  encodeCardText,
  ETHNICITIES,
  ethnicityName,
  parseAppendedAddress,
  parseCardDate,
  parseCardText,
} from './card-parse';
import { ReaderError } from './reader';
import {
  CardText,
  FIXTURE_CARDS,
  FOREIGN_2017,
  FOREIGN_2023,
  FOREIGN_2023_EN_PART1,
  LI_SI_EXPIRED,
  PERMIT_HK,
  unknownTypeText,
  WANG_XIAOMING_EXPIRED,
  ZHANG_SAN,
  fakeWlt,
} from '../../../test/fixtures/idcard/cards';

describe('the fixtures themselves', () => {
  it.each(FIXTURE_CARDS.map((c) => [c.label, c] as const))('%s: 256 bytes, a valid ID number', (_l, c) => {
    expect(c.text.length).toBe(256);
    const v = validateIdNumber(c.expected.idNumber, { today: new Date(2026, 10, 22) });
    expect(v.ok, JSON.stringify(v)).toBe(true);
  });

  it('§1.9 byte vectors: 张三, gender 1, ethnicity 01, 长期', () => {
    const t = Buffer.from(ZHANG_SAN.text);
    expect(t.subarray(0, 4)).toEqual(Buffer.from([0x20, 0x5f, 0x09, 0x4e]));
    expect(t.subarray(4, 30)).toEqual(
      Buffer.from(
        '20 00 '
          .repeat(13)
          .trim()
          .split(' ')
          .map((h) => parseInt(h, 16)),
      ),
    );
    expect(t.subarray(30, 32)).toEqual(Buffer.from([0x31, 0x00]));
    expect(t.subarray(32, 36)).toEqual(Buffer.from([0x30, 0x00, 0x31, 0x00]));
    expect(t.subarray(204, 208)).toEqual(Buffer.from([0x7f, 0x95, 0x1f, 0x67]));
  });

  it('the address of one fixture fills its 35 characters exactly (no padding to trim)', () => {
    expect(WANG_XIAOMING_EXPIRED.expected.address).toHaveLength(35);
  });
});

describe('parseCardText', () => {
  it.each(FIXTURE_CARDS.map((c) => [c.label, c] as const))('%s', (_l, c) => {
    expect(parseCardText(c.text)).toEqual(c.expected);
  });

  it('resident: dates to YYYY-MM-DD, 长期 → long-term, ethnicity by code', () => {
    const card = parseCardText(ZHANG_SAN.text);
    expect(card.birthDate).toBe('1949-12-31');
    expect(card.validFrom).toBe('2020-01-01');
    expect(card.validUntil).toBe('long-term');
    expect(card.ethnicity).toBe('汉');
    expect(card.gender).toBe('男');
  });

  it('an expired card is parsed as is (the date tells; check-in decides)', () => {
    expect(parseCardText(LI_SI_EXPIRED.text).validUntil).toBe('2020-03-01');
  });

  it('residence permit: the travel-permit number and issue count are in extra', () => {
    const card = parseCardText(PERMIT_HK.text);
    expect(card.cardType).toBe('residence_permit');
    expect(card.ethnicity).toBeNull();
    expect(card.extra).toMatchObject({ passNumber: 'H60123456', issueCount: '02' });
  });

  it('foreign PR 2017: English name keeps its spaces; 15-character number; nationality', () => {
    const card = parseCardText(FOREIGN_2017.text);
    expect(card.englishName).toBe('SMITH JOHN WILLIAM');
    expect(card.idNumber).toBe('USA110090010011');
    expect(card.extra.nationality).toBe('USA');
  });

  it('foreign PR 2023: the English name is joined across its two fields, keeping the space at char 36', () => {
    expect(FOREIGN_2023_EN_PART1).toHaveLength(35);
    const card = parseCardText(FOREIGN_2023.text);
    expect(card.englishName).toBe('VAN DER BERG JOHANNA CORNELIA MARIE LOUISE');
    expect(card.idNumber).toMatch(/^9/);
  });

  it('a Chinese name with inner spaces keeps them (only padding is trimmed)', () => {
    const text = new CardText()
      .at(0, 30, '欧阳 娜娜')
      .at(30, 2, '2')
      .at(32, 4, '01')
      .at(122, 36, ZHANG_SAN.expected.idNumber)
      .done();
    expect(parseCardText(text).name).toBe('欧阳 娜娜');
  });

  it('NUL padding is trimmed like space padding', () => {
    const t = Buffer.from(ZHANG_SAN.text);
    t.fill(0, 4, 30); // name padded with 00 00 instead of 20 00
    t.fill(0, 220, 256); // reserved area (incl. the flag) NUL: still a resident card
    expect(parseCardText(t).name).toBe('张三');
    expect(parseCardText(t).cardType).toBe('resident');
  });

  it('keeps the photo blob when the reader returned one; an all-zero photo is no photo', () => {
    const wlt = fakeWlt();
    expect(parseCardText(ZHANG_SAN.text, { photo: wlt }).photoWlt).toEqual(wlt);
    expect(parseCardText(ZHANG_SAN.text, { photo: new Uint8Array(1024) }).photoWlt).toBeNull();
  });

  it('the appended address: present, absent (card has none), not read', () => {
    const withIt = parseCardText(ZHANG_SAN.text, {
      appendedAddress: encodeAppendedAddress('北京市海淀区某路9号'),
    });
    expect(withIt.appendedAddress).toBe('北京市海淀区某路9号');
    expect(parseCardText(ZHANG_SAN.text, { appendedAddress: null }).appendedAddress).toBeNull();
    expect('appendedAddress' in parseCardText(ZHANG_SAN.text)).toBe(false);
    expect(parseAppendedAddress(encodeAppendedAddress(''))).toBeNull();
  });

  it.each([
    [
      'Z',
      0x5a,
      0x00,
      '无法识别的证件类型：类型标识（第 248 字节）为 0x5A 0x00（字符“Z”），支持居民身份证、港澳台居民居住证和外国人永久居留身份证',
    ],
    [
      '中',
      0x2d,
      0x4e,
      '无法识别的证件类型：类型标识（第 248 字节）为 0x2D 0x4E，支持居民身份证、港澳台居民居住证和外国人永久居留身份证',
    ],
  ])('unknown card type flag %s → unknown_card_type naming the flag byte', (flag, lo, hi, message) => {
    const text = unknownTypeText(flag);
    expect(text[248]).toBe(lo);
    expect(text[249]).toBe(hi);
    let caught: unknown;
    try {
      parseCardText(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ReaderError);
    expect((caught as ReaderError).code).toBe('unknown_card_type');
    expect((caught as ReaderError).message).toBe(message);
  });

  it('a text that is too short is a frame error', () => {
    expect(() => cardTypeOf(new Uint8Array(200))).toThrow(
      expect.objectContaining({
        code: 'frame',
        message: '身份证文字信息长度错误：应为 256 字节，实为 200 字节',
      }),
    );
  });
});

describe('code tables and dates', () => {
  it('all 56 ethnic groups plus 97 and 98', () => {
    expect(Object.keys(ETHNICITIES)).toHaveLength(58);
    expect(ethnicityName('01')).toBe('汉');
    expect(ethnicityName('31')).toBe('达斡尔');
    expect(ethnicityName('46')).toBe('德昂');
    expect(ethnicityName('56')).toBe('基诺');
    expect(ethnicityName('97')).toBe('其他');
    expect(ethnicityName('98')).toBe('外国血统中国籍人士');
    expect(ethnicityName('57')).toBe('未知民族（代码 57）');
    expect(ethnicityName('')).toBeNull();
  });

  it.each([
    ['20200101', false, { value: '2020-01-01', raw: null }],
    ['20000229', false, { value: '2000-02-29', raw: null }],
    ['19000229', false, { value: null, raw: '19000229' }],
    ['长期', true, { value: 'long-term', raw: null }],
    ['长期', false, { value: null, raw: '长期' }],
    ['', true, { value: null, raw: null }],
    ['2020-1-1', false, { value: null, raw: '2020-1-1' }],
  ])('%s (long-term allowed: %s)', (raw, allow, expected) => {
    expect(parseCardDate(raw, allow)).toEqual(expected);
  });
});

describe('encodeCardText (simulator) is the inverse of parseCardText', () => {
  it.each(FIXTURE_CARDS.map((c) => [c.label, c] as const))('%s: byte-identical text', (_l, c) => {
    // (UNKNOWN_CODES' invalid dates come back from extra.validFromRaw / validUntilRaw.)
    expect(Buffer.from(encodeCardText(c.expected)).equals(Buffer.from(c.text))).toBe(true);
  });

  it('a card from the UI with only a few fields (no extra) round-trips', () => {
    const card = parseCardText(
      encodeCardText({
        cardType: 'resident',
        name: '测试考生',
        englishName: null,
        gender: '女',
        ethnicity: '回',
        birthDate: '2001-02-03',
        address: null,
        idNumber: '110105200102030026',
        issuingAuthority: null,
        validFrom: null,
        validUntil: '2031-02-03',
        extra: {},
        photoWlt: null,
        photo: null,
      }),
    );
    expect(card).toMatchObject({
      name: '测试考生',
      gender: '女',
      ethnicity: '回',
      birthDate: '2001-02-03',
      validUntil: '2031-02-03',
      extra: { genderCode: '2', ethnicityCode: '03' },
    });
  });

  it('a too-long name is cut to the field (15 characters)', () => {
    const card = parseCardText(
      encodeCardText({ ...ZHANG_SAN.expected, name: '一二三四五六七八九十一二三四五六七' }),
    );
    expect(card.name).toBe('一二三四五六七八九十一二三四五');
  });
});
