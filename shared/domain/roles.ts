/**
 * The roles at a site (domain.md §4). A user may hold several. Codes are stable identifiers stored in
 * the database; the Chinese labels live in the i18n resources under the key `role.<code>`.
 */
export const ROLES = [
  'exam_admin', // 考务管理员
  'proctor', // 监考
  'evaluator', // 考评员
  'evaluator_lead', // 考评组长
  'panel_member', // 综合评审委员
  'supervisor', // 督导员
  'cert_admin', // 证书管理员
] as const;

export type Role = (typeof ROLES)[number];

/** Chinese names, used where no i18n layer exists (CLI output, audit text, spreadsheets). */
export const ROLE_NAMES_ZH: Record<Role, string> = {
  exam_admin: '考务管理员',
  proctor: '监考',
  evaluator: '考评员',
  evaluator_lead: '考评组长',
  panel_member: '综合评审委员',
  supervisor: '督导员',
  cert_admin: '证书管理员',
};
