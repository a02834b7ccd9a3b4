import { z } from 'zod';
import { eventIterator } from '@orpc/contract';
import { base } from './base';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from '../domain/site-time';
import { siteEventSchema } from './events';

export const backupSchema = z.object({
  fileName: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
  integrity: z.string(),
});

/** Site settings an administrator changes in the UI (stored in the settings table, audited). */
export const siteSettingsSchema = z.object({
  /** The site's time zone (IANA name), default Asia/Shanghai: a host running in UTC says China's times. */
  timeZone: z
    .string()
    .trim()
    .refine(isValidTimeZone, '无法识别的时区（应为 IANA 名称，如 Asia/Shanghai）')
    .default(DEFAULT_TIME_ZONE),
  /** The intranet update server for the desktop app (electron-updater generic provider); empty = no updates. */
  updaterUrl: z
    .string()
    .trim()
    .max(300)
    .refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v), '更新服务器地址应以 http:// 或 https:// 开头'),
});
export type SiteSettings = z.infer<typeof siteSettingsSchema>;

export const systemContract = {
  info: base.meta({ access: 'signed-in' }).output(
    z.object({
      version: z.string(),
      engine: z.enum(['sqlite', 'postgres']),
      serverTime: z.string(),
      /** The site's time zone: every time on screens, in messages and on printouts is said in it. */
      timeZone: z.string(),
      dataDir: z.string().nullable(),
    }),
  ),
  backupNow: base.meta({ access: ['exam_admin'] }).output(backupSchema),
  backups: base.meta({ access: ['exam_admin'] }).output(z.array(backupSchema)),
  settings: base.meta({ access: ['exam_admin'] }).output(siteSettingsSchema),
  updateSettings: base
    .meta({ access: ['exam_admin'] })
    .input(siteSettingsSchema)
    .output(siteSettingsSchema),
  events: base.meta({ access: 'signed-in' }).output(eventIterator(siteEventSchema)),
};
