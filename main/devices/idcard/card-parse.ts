/**
 * The 256-byte card text file (UCS-2 little-endian, space-padded) → CardData, for the four card types
 * the SAM readers return (devices.md §2.1, §2.6), plus the appended address (§2.5).
 *
 * The card type is the UCS-2 character at bytes 248–249: blank = resident ID, 'J' = HK/Macau/Taiwan
 * residence permit, 'I' = 2017 foreign permanent resident card, 'Y' = 2023 foreign permanent resident
 * ID. Anything else is rejected with ReaderError('unknown_card_type') naming the flag.
 *
 * Names keep their inner spaces (foreign names!); only the padding at the ends is trimmed. Dates become
 * YYYY-MM-DD, 长期 becomes 'long-term'; a date field that is neither is returned as null with the raw
 * text in `extra` (`<field>Raw`). Codes are kept in `extra` (genderCode, ethnicityCode) so an unknown
 * code is still visible.
 *
 * `encodeCardText` is the inverse (for the simulator and the tests).
 */
import { isRealDate } from '../../../shared/domain/id-number';
import { hex2 } from './sam-codec';
import { ReaderError, type CardData, type CardType } from './reader';

export const CARD_TEXT_SIZE = 256;
export const PHOTO_SIZE = 1024;
export const APPENDED_ADDRESS_SIZE = 70;
/** Byte offset of the card-type flag (one UCS-2 character). */
export const CARD_TYPE_FLAG_OFFSET = 248;

export const CARD_TYPE_FLAGS: Readonly<Record<CardType, string>> = {
  resident: ' ',
  residence_permit: 'J',
  foreign_pr_2017: 'I',
  foreign_pr_2023: 'Y',
};

export const CARD_TYPE_NAMES: Readonly<Record<CardType, string>> = {
  resident: '居民身份证',
  residence_permit: '港澳台居民居住证',
  foreign_pr_2017: '外国人永久居留身份证（2017 版）',
  foreign_pr_2023: '外国人永久居留身份证（2023 版）',
};

/** GB/T 2261.1 gender codes (§2.2). */
export const GENDER_CODES: Readonly<Record<string, '男' | '女' | null>> = {
  '0': null, // 未知的性别
  '1': '男',
  '2': '女',
  '9': null, // 未说明的性别
};

/** GB 3304 ethnicity codes (§2.2), as printed on the card (汉, not 汉族). */
export const ETHNICITIES: Readonly<Record<string, string>> = {
  '01': '汉',
  '02': '蒙古',
  '03': '回',
  '04': '藏',
  '05': '维吾尔',
  '06': '苗',
  '07': '彝',
  '08': '壮',
  '09': '布依',
  '10': '朝鲜',
  '11': '满',
  '12': '侗',
  '13': '瑶',
  '14': '白',
  '15': '土家',
  '16': '哈尼',
  '17': '哈萨克',
  '18': '傣',
  '19': '黎',
  '20': '傈僳',
  '21': '佤',
  '22': '畲',
  '23': '高山',
  '24': '拉祜',
  '25': '水',
  '26': '东乡',
  '27': '纳西',
  '28': '景颇',
  '29': '柯尔克孜',
  '30': '土',
  '31': '达斡尔',
  '32': '仫佬',
  '33': '羌',
  '34': '布朗',
  '35': '撒拉',
  '36': '毛南',
  '37': '仡佬',
  '38': '锡伯',
  '39': '阿昌',
  '40': '普米',
  '41': '塔吉克',
  '42': '怒',
  '43': '乌孜别克',
  '44': '俄罗斯',
  '45': '鄂温克',
  '46': '德昂',
  '47': '保安',
  '48': '裕固',
  '49': '京',
  '50': '塔塔尔',
  '51': '独龙',
  '52': '鄂伦春',
  '53': '赫哲',
  '54': '门巴',
  '55': '珞巴',
  '56': '基诺',
  '97': '其他',
  '98': '外国血统中国籍人士',
};

/** The display name of an ethnicity code; an unknown code is shown with the code. */
export function ethnicityName(code: string): string | null {
  if (code === '') return null;
  return ETHNICITIES[code] ?? `未知民族（代码 ${code}）`;
}

// ---- field access --------------------------------------------------------------------------------

function ucs2(text: Uint8Array, offset: number, bytes: number): string {
  return Buffer.from(text.buffer, text.byteOffset + offset, bytes).toString('utf16le');
}

/** Trims the padding (spaces, NULs) at both ends; inner spaces stay. */
function clean(s: string): string {
  const pad = (c: string) => c === ' ' || c === '\u0000';
  let start = 0;
  let end = s.length;
  while (start < end && pad(s.charAt(start))) start++;
  while (end > start && pad(s.charAt(end - 1))) end--;
  return s.slice(start, end);
}

function field(text: Uint8Array, offset: number, bytes: number): string {
  return clean(ucs2(text, offset, bytes));
}

function orNull(s: string): string | null {
  return s === '' ? null : s;
}

interface DateResult {
  value: string | null;
  raw: string | null;
}

/** YYYYMMDD → YYYY-MM-DD; 长期 → 'long-term' (when allowed); blank → null; anything else → null + raw. */
export function parseCardDate(raw: string, allowLongTerm = false): DateResult {
  if (raw === '') return { value: null, raw: null };
  if (allowLongTerm && raw === '长期') return { value: 'long-term', raw: null };
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return { value: `${m[1]}-${m[2]}-${m[3]}`, raw: null };
  }
  return { value: null, raw };
}

function setDate(
  extra: Record<string, string>,
  key: string,
  raw: string,
  allowLongTerm = false,
): string | null {
  const d = parseCardDate(raw, allowLongTerm);
  if (d.raw !== null) extra[`${key}Raw`] = d.raw;
  return d.value;
}

function setIf(extra: Record<string, string>, key: string, value: string): void {
  if (value !== '') extra[key] = value;
}

function gender(extra: Record<string, string>, code: string): '男' | '女' | null {
  setIf(extra, 'genderCode', code);
  return GENDER_CODES[code] ?? null;
}

// ---- parsing -------------------------------------------------------------------------------------

/** The card type from the flag at bytes 248–249; throws 'unknown_card_type' naming the flag. */
export function cardTypeOf(text: Uint8Array): CardType {
  if (text.length < CARD_TEXT_SIZE) {
    throw new ReaderError(
      'frame',
      `身份证文字信息长度错误：应为 ${CARD_TEXT_SIZE} 字节，实为 ${text.length} 字节`,
    );
  }
  const lo = text[CARD_TYPE_FLAG_OFFSET] ?? 0;
  const hi = text[CARD_TYPE_FLAG_OFFSET + 1] ?? 0;
  const flag = String.fromCharCode(lo | (hi << 8));
  if (flag === ' ' || flag === '\u0000') return 'resident';
  if (flag === 'J') return 'residence_permit';
  if (flag === 'I') return 'foreign_pr_2017';
  if (flag === 'Y') return 'foreign_pr_2023';
  const printable = hi === 0 && lo >= 0x21 && lo <= 0x7e ? `（字符“${flag}”）` : '';
  throw new ReaderError(
    'unknown_card_type',
    `无法识别的证件类型：类型标识（第 248 字节）为 ${hex2(lo)} ${hex2(hi)}${printable}，` +
      '支持居民身份证、港澳台居民居住证和外国人永久居留身份证',
    `flag bytes ${hex2(lo)} ${hex2(hi)}`,
  );
}

export interface ParseCardOptions {
  /** The WLT photo as the reader returned it. */
  photo?: Uint8Array | null;
  /** The 70-byte appended-address file; null = read, card has none; undefined = not read. */
  appendedAddress?: Uint8Array | null;
}

/** The appended address (70 bytes UCS-2LE, §2.5); null when blank. */
export function parseAppendedAddress(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, APPENDED_ADDRESS_SIZE) & ~1;
  return orNull(clean(Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('utf16le')));
}

/** Parses the card text file (§2.1, §2.6). Throws ReaderError 'unknown_card_type' or 'frame'. */
export function parseCardText(text: Uint8Array, options: ParseCardOptions = {}): CardData {
  const cardType = cardTypeOf(text);
  const extra: Record<string, string> = {};
  const photoWlt =
    options.photo && options.photo.length > 0 && options.photo.some((b) => b !== 0)
      ? Uint8Array.from(options.photo)
      : null;
  const common = { cardType, extra, photoWlt, photo: null };
  const withAppended = (card: CardData): CardData => {
    if (options.appendedAddress === undefined) return card;
    return {
      ...card,
      appendedAddress:
        options.appendedAddress === null ? null : parseAppendedAddress(options.appendedAddress),
    };
  };

  if (cardType === 'resident' || cardType === 'residence_permit') {
    const card: CardData = {
      ...common,
      name: field(text, 0, 30),
      englishName: null,
      gender: gender(extra, field(text, 30, 2)),
      ethnicity: null,
      birthDate: setDate(extra, 'birthDate', field(text, 36, 16)),
      address: orNull(field(text, 52, 70)),
      idNumber: field(text, 122, 36),
      issuingAuthority: orNull(field(text, 158, 30)),
      validFrom: setDate(extra, 'validFrom', field(text, 188, 16)),
      validUntil: setDate(extra, 'validUntil', field(text, 204, 16), true),
    };
    if (cardType === 'resident') {
      const code = field(text, 32, 4);
      setIf(extra, 'ethnicityCode', code);
      card.ethnicity = ethnicityName(code);
    } else {
      setIf(extra, 'passNumber', field(text, 220, 18));
      setIf(extra, 'issueCount', field(text, 238, 4));
    }
    return withAppended(card);
  }

  if (cardType === 'foreign_pr_2017') {
    const englishName = field(text, 0, 120);
    const chineseName = field(text, 158, 30);
    setIf(extra, 'nationality', field(text, 152, 6));
    setIf(extra, 'cardVersion', field(text, 236, 4));
    setIf(extra, 'authorityCode', field(text, 240, 8));
    return withAppended({
      ...common,
      // The Chinese name is optional on this card: fall back to the English name.
      name: chineseName !== '' ? chineseName : englishName,
      englishName: orNull(englishName),
      gender: gender(extra, field(text, 120, 2)),
      ethnicity: null,
      birthDate: setDate(extra, 'birthDate', field(text, 220, 16)),
      address: null,
      idNumber: field(text, 122, 30),
      issuingAuthority: null,
      validFrom: setDate(extra, 'validFrom', field(text, 188, 16)),
      validUntil: setDate(extra, 'validUntil', field(text, 204, 16), true),
    });
  }

  // 2023 foreign permanent resident ID: the English name is split over two fields (35 + 11 chars);
  // join them before trimming so a space at the boundary survives.
  const englishName = clean(ucs2(text, 52, 70) + ucs2(text, 220, 22));
  const chineseName = field(text, 0, 30);
  setIf(extra, 'renewalCount', field(text, 32, 4));
  setIf(extra, 'nationality', field(text, 242, 6));
  setIf(extra, 'previousCardLink', field(text, 250, 6));
  return withAppended({
    ...common,
    name: chineseName !== '' ? chineseName : englishName,
    englishName: orNull(englishName),
    gender: gender(extra, field(text, 30, 2)),
    ethnicity: null,
    birthDate: setDate(extra, 'birthDate', field(text, 36, 16)),
    address: null,
    idNumber: field(text, 122, 36),
    issuingAuthority: null,
    validFrom: setDate(extra, 'validFrom', field(text, 188, 16)),
    validUntil: setDate(extra, 'validUntil', field(text, 204, 16), true),
  });
}

// ---- encoding (simulator, tests) -----------------------------------------------------------------

class TextWriter {
  readonly bytes = Buffer.alloc(CARD_TEXT_SIZE);

  constructor() {
    for (let i = 0; i < CARD_TEXT_SIZE; i += 2) this.bytes.writeUInt16LE(0x20, i);
  }

  /** Writes `value` at `offset`, truncated to the field's `bytes` (whole characters), space-padded. */
  put(offset: number, bytes: number, value: string | null | undefined): this {
    if (!value) return this;
    const enc = Buffer.from(value, 'utf16le');
    enc.copy(this.bytes, offset, 0, Math.min(enc.length, bytes) & ~1);
    return this;
  }
}

/** A date field's text: from the ISO date, or the raw text the parser kept (`extra.<field>Raw`). */
function dateDigits(iso: string | null, raw?: string): string | null {
  if (iso === null) return raw ?? null;
  if (iso === 'long-term') return '长期';
  return iso.replace(/-/g, '');
}

function genderCode(card: CardData): string {
  if (card.extra.genderCode !== undefined) return card.extra.genderCode;
  return card.gender === '男' ? '1' : card.gender === '女' ? '2' : '0';
}

function ethnicityCode(card: CardData): string | null {
  if (card.extra.ethnicityCode !== undefined) return card.extra.ethnicityCode;
  if (card.ethnicity === null) return null;
  const hit = Object.entries(ETHNICITIES).find(([, name]) => name === card.ethnicity);
  return hit ? hit[0] : null;
}

/**
 * CardData → the 256-byte card text (the inverse of parseCardText, for the simulator and tests). Fields
 * longer than the card's field are truncated; `extra` supplies the type-specific fields.
 */
export function encodeCardText(card: CardData): Uint8Array {
  const w = new TextWriter();
  const x = card.extra;
  if (card.cardType === 'resident' || card.cardType === 'residence_permit') {
    w.put(0, 30, card.name)
      .put(30, 2, genderCode(card))
      .put(36, 16, dateDigits(card.birthDate, x.birthDateRaw))
      .put(52, 70, card.address)
      .put(122, 36, card.idNumber)
      .put(158, 30, card.issuingAuthority)
      .put(188, 16, dateDigits(card.validFrom, x.validFromRaw))
      .put(204, 16, dateDigits(card.validUntil, x.validUntilRaw));
    if (card.cardType === 'resident') {
      w.put(32, 4, ethnicityCode(card));
    } else {
      w.put(220, 18, x.passNumber).put(238, 4, x.issueCount);
    }
  } else if (card.cardType === 'foreign_pr_2017') {
    const chinese = card.englishName !== null && card.name === card.englishName ? null : card.name;
    w.put(0, 120, card.englishName)
      .put(120, 2, genderCode(card))
      .put(122, 30, card.idNumber)
      .put(152, 6, x.nationality)
      .put(158, 30, chinese)
      .put(188, 16, dateDigits(card.validFrom, x.validFromRaw))
      .put(204, 16, dateDigits(card.validUntil, x.validUntilRaw))
      .put(220, 16, dateDigits(card.birthDate, x.birthDateRaw))
      .put(236, 4, x.cardVersion)
      .put(240, 8, x.authorityCode);
  } else {
    const chinese = card.englishName !== null && card.name === card.englishName ? null : card.name;
    const en = card.englishName ?? '';
    w.put(0, 30, chinese)
      .put(30, 2, genderCode(card))
      .put(32, 4, x.renewalCount)
      .put(36, 16, dateDigits(card.birthDate, x.birthDateRaw))
      .put(52, 70, en.slice(0, 35))
      .put(122, 36, card.idNumber)
      .put(188, 16, dateDigits(card.validFrom, x.validFromRaw))
      .put(204, 16, dateDigits(card.validUntil, x.validUntilRaw))
      .put(220, 22, en.slice(35, 46))
      .put(242, 6, x.nationality)
      .put(250, 6, x.previousCardLink);
  }
  w.put(CARD_TYPE_FLAG_OFFSET, 2, CARD_TYPE_FLAGS[card.cardType]);
  return new Uint8Array(w.bytes);
}

/** An appended address → the 70-byte file. */
export function encodeAppendedAddress(address: string): Uint8Array {
  const w = Buffer.alloc(APPENDED_ADDRESS_SIZE);
  for (let i = 0; i < APPENDED_ADDRESS_SIZE; i += 2) w.writeUInt16LE(0x20, i);
  const enc = Buffer.from(address, 'utf16le');
  enc.copy(w, 0, 0, Math.min(enc.length, APPENDED_ADDRESS_SIZE) & ~1);
  return new Uint8Array(w);
}
