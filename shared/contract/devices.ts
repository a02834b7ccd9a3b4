import { z } from 'zod';
import { base } from './base';
import { cardTypeSchema } from './checkin';

export const readerDriverSchema = z.enum(['simulator', 'sam-serial', 'vendor-sdk']);

export const readerConfigSchema = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('simulator') }),
  z.object({
    driver: z.literal('sam-serial'),
    path: z.string().trim().min(1, '请选择串口'),
    baudRate: z.number().int().positive(),
  }),
  z.object({ driver: z.literal('vendor-sdk'), flavour: z.enum(['termb', 'sdtapi']) }),
]);
export type ReaderConfig = z.infer<typeof readerConfigSchema>;

export const readerInfoSchema = z.object({
  config: readerConfigSchema,
  description: z.string(),
  state: z.enum(['closed', 'opening', 'ready', 'unavailable']),
  reason: z.string().nullable(),
  samId: z.string().nullable(),
  lastReadAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type ReaderInfo = z.infer<typeof readerInfoSchema>;

/** A synthetic card for the simulator (demo and tests). */
export const simulatedCardSchema = z.object({
  cardType: cardTypeSchema,
  name: z.string().min(1).max(60),
  idNumber: z.string().min(1).max(40),
  gender: z.enum(['男', '女']),
  birthDate: z.string(),
  validUntil: z.string(),
});

/** One line of the start-of-day check (开考前设备自检). */
export const dayCheckItemSchema = z.object({
  key: z.enum(['reader', 'printer', 'disk', 'backup', 'database', 'audit']),
  label: z.string(),
  status: z.enum(['ok', 'warn', 'fail']),
  detail: z.string(),
});
export type DayCheckItem = z.infer<typeof dayCheckItemSchema>;

export const dayCheckSchema = z.object({
  /** The host's clock when the check ran (the screen compares it with its own). */
  at: z.string(),
  items: z.array(dayCheckItemSchema),
});
export type DayCheck = z.infer<typeof dayCheckSchema>;

/** The simulator's actions: a card laid on the reader or taken off, or a fault. */
export const simulateInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('insert'), card: simulatedCardSchema }),
  z.object({ action: z.literal('remove') }),
  z.object({
    action: z.literal('fault'),
    fault: z.enum(['timeout', 'checksum', 'disconnect', 'card_removed_mid_read', 'unknown_card_type']),
  }),
]);

export const devicesContract = {
  /** The site host's ID card reader (attached to the host PC). */
  reader: base.meta({ access: ['exam_admin', 'proctor'] }).output(readerInfoSchema),
  configureReader: base
    .meta({ access: ['exam_admin'] })
    .input(readerConfigSchema)
    .output(readerInfoSchema),
  serialPorts: base.meta({ access: ['exam_admin'] }).output(
    z.object({
      ports: z.array(z.object({ path: z.string(), label: z.string() })),
      note: z.string().nullable(),
    }),
  ),
  /** Open the reader, ask its status and SAM id; says what works and what does not. */
  selfTest: base.meta({ access: ['exam_admin'] }).output(
    z.object({
      ok: z.boolean(),
      steps: z.array(z.object({ step: z.string(), ok: z.boolean(), detail: z.string() })),
    }),
  ),
  /**
   * 开考前设备自检: the reader, the default printers, disk space, backups, the database and the audit chain,
   * checked on the host in one go and recorded in the audit trail (devices.dayCheck).
   */
  dayCheck: base.meta({ access: ['exam_admin', 'supervisor'] }).output(dayCheckSchema),
  /** Simulator only: lay a card on the reader, or take it off. */
  simulate: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(simulateInputSchema)
    .output(z.object({ ok: z.literal(true) })),
};
