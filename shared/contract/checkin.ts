import { z } from 'zod';
import { eventIterator } from '@orpc/contract';
import { base } from './base';

export const cardTypeSchema = z.enum(['resident', 'residence_permit', 'foreign_pr_2017', 'foreign_pr_2023']);

/** The parsed card as a reader driver returns it (photo excluded; see main/devices/idcard/reader.ts). */
export const cardReadSchema = z.object({
  cardType: cardTypeSchema,
  name: z.string(),
  idNumber: z.string().min(1).max(40),
  validUntil: z.string().nullable(),
  samId: z.string().nullable(),
});
export type CardRead = z.infer<typeof cardReadSchema>;

const deskSchema = z.object({ sessionId: z.number().int(), roomId: z.number().int() });

export const checkinResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    checkinId: z.number().int(),
    candidateId: z.number().int(),
    name: z.string(),
    idNumberMasked: z.string(),
    admissionTicketNo: z.string().nullable(),
    roomName: z.string(),
    seatNo: z.number().int(),
    late: z.boolean(),
    method: z.enum(['card', 'ticket', 'name']),
    at: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    code: z.string(),
    message: z.string(),
    /** Who the card or ticket belongs to, when the roster knows. */
    name: z.string().nullable(),
    candidateId: z.number().int().nullable(),
  }),
]);
export type CheckinResult = z.infer<typeof checkinResultSchema>;

export const roomProgressSchema = z.object({
  roomId: z.number().int(),
  roomName: z.string(),
  expected: z.number().int(),
  checkedIn: z.number().int(),
  missing: z.array(z.object({ candidateId: z.number().int(), name: z.string(), seatNo: z.number().int() })),
});
export type RoomProgress = z.infer<typeof roomProgressSchema>;

/** What the check-in desk screen is told while it is open. */
export const deskEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    reader: z.string(),
    state: z.string(),
    reason: z.string().nullable(),
  }),
  z.object({
    type: z.literal('card'),
    /** The card as read (name and masked number), shown beside the roster's data. */
    card: z.object({
      cardType: cardTypeSchema,
      name: z.string(),
      idNumberMasked: z.string(),
      validUntil: z.string().nullable(),
    }),
    result: checkinResultSchema,
  }),
  z.object({ type: z.literal('removed') }),
  z.object({ type: z.literal('reader-error'), code: z.string(), message: z.string() }),
]);
export type DeskEvent = z.infer<typeof deskEventSchema>;

export const checkinContract = {
  /**
   * Open the desk for one session and room: every card laid on the host's reader is checked in here and
   * the result streamed back, until the desk closes the stream.
   */
  desk: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(deskSchema)
    .output(eventIterator(deskEventSchema)),
  /** Check in the holder of a card read at this desk. */
  byCard: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(deskSchema.extend({ card: cardReadSchema }))
    .output(checkinResultSchema),
  /** Fallback without a card read (ticket barcode/QR scan or name search): a reason is required. */
  manual: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(
      deskSchema.extend({
        candidateId: z.number().int(),
        method: z.enum(['ticket', 'name']),
        reason: z.string().trim().min(2, '请填写人工签到的原因').max(300),
      }),
    )
    .output(checkinResultSchema),
  /** Find candidates of the session by name, ticket number or the last digits of the ID number. */
  search: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(z.object({ sessionId: z.number().int(), q: z.string().trim().min(1).max(40) }))
    .output(
      z.array(
        z.object({
          candidateId: z.number().int(),
          name: z.string(),
          idNumberMasked: z.string(),
          admissionTicketNo: z.string().nullable(),
          roomName: z.string().nullable(),
          seatNo: z.number().int().nullable(),
          checkedIn: z.boolean(),
        }),
      ),
    ),
  /** Per room: expected, checked in, who is missing. Updated live by `checkin.changed` events. */
  progress: base
    .meta({ access: ['exam_admin', 'proctor', 'supervisor'] })
    .input(z.object({ sessionId: z.number().int() }))
    .output(z.array(roomProgressSchema)),
};
