import { z } from 'zod';
import { eventIterator } from '@orpc/contract';
import { base } from './base';

export const backupSchema = z.object({
  fileName: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
  integrity: z.string(),
});

/** Events pushed to every signed-in client (WebSocket on the LAN, MessagePort in the desktop window). */
export const siteEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), at: z.string() }),
  z.object({ type: z.literal('candidates.changed'), sittingId: z.number().int(), at: z.string() }),
  z.object({ type: z.literal('sittings.changed'), at: z.string() }),
  z.object({
    type: z.literal('checkin.changed'),
    sessionId: z.number().int(),
    roomId: z.number().int(),
    candidateId: z.number().int(),
    at: z.string(),
  }),
]);
export type SiteEvent = z.infer<typeof siteEventSchema>;

/** Site settings an administrator changes in the UI (stored in the settings table, audited). */
export const siteSettingsSchema = z.object({
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
