/**
 * Province-level codes: the first two digits of a GB/T 2260 administrative-division code (domain.md §5.7).
 * Used by resident ID numbers (positions 1–2) and by the 22-character certificate number.
 *
 * domain.md marks the table [S] and asks for it to stay configurable (XPCC / central-enterprise sites may
 * use special codes); callers that need a site-specific table should accept one as a parameter and fall
 * back to this default.
 */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '11': '北京',
  '12': '天津',
  '13': '河北',
  '14': '山西',
  '15': '内蒙古',
  '21': '辽宁',
  '22': '吉林',
  '23': '黑龙江',
  '31': '上海',
  '32': '江苏',
  '33': '浙江',
  '34': '安徽',
  '35': '福建',
  '36': '江西',
  '37': '山东',
  '41': '河南',
  '42': '湖北',
  '43': '湖南',
  '44': '广东',
  '45': '广西',
  '46': '海南',
  '50': '重庆',
  '51': '四川',
  '52': '贵州',
  '53': '云南',
  '54': '西藏',
  '61': '陕西',
  '62': '甘肃',
  '63': '青海',
  '64': '宁夏',
  '65': '新疆',
  '71': '台湾',
};

/**
 * Address codes used by 港澳台居民居住证 numbers (domain.md §10.2): 810000 Hong Kong, 820000 Macau,
 * 830000 Taiwan. Only the first two digits are checked.
 */
export const RESIDENCE_PERMIT_CODES: Readonly<Record<string, string>> = {
  '81': '香港',
  '82': '澳门',
  '83': '台湾',
};

/** True when `code` (two digits) is a province-level code of the mainland table. */
export function isProvinceCode(code: string): boolean {
  return Object.hasOwn(PROVINCE_CODES, code);
}

/** The region name for a two-digit code (province or residence-permit code), or null when unknown. */
export function provinceName(code: string): string | null {
  if (Object.hasOwn(PROVINCE_CODES, code)) return PROVINCE_CODES[code] ?? null;
  if (Object.hasOwn(RESIDENCE_PERMIT_CODES, code)) return RESIDENCE_PERMIT_CODES[code] ?? null;
  return null;
}
