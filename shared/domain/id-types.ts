/** Identity document types (domain.md §8.3, §10). */
export const ID_TYPES = [
  'resident_id', // 居民身份证
  'residence_permit', // 港澳台居民居住证
  'foreign_pr', // 外国人永久居留身份证
  'hk_macau_permit', // 港澳居民来往内地通行证
  'taiwan_permit', // 台湾居民来往大陆通行证
  'passport', // 护照
  'military', // 军官证/军人身份证件
  'other', // 其他
] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_NAMES: Record<IdType, string> = {
  resident_id: '居民身份证',
  residence_permit: '港澳台居民居住证',
  foreign_pr: '外国人永久居留身份证',
  hk_macau_permit: '港澳居民来往内地通行证',
  taiwan_permit: '台湾居民来往大陆通行证',
  passport: '护照',
  military: '军官证/军人身份证件',
  other: '其他',
};

/**
 * Mask an identity number for lists and exports: keep the first 4 and last 4 characters
 * (e.g. 1101**********002X). Short numbers keep only their last 2.
 */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 8) return '*'.repeat(Math.max(0, idNumber.length - 2)) + idNumber.slice(-2);
  return idNumber.slice(0, 4) + '*'.repeat(idNumber.length - 8) + idNumber.slice(-4);
}
