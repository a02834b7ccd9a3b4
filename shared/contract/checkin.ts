import { z } from 'zod';
import { eventIterator } from '@orpc/contract';
import { base } from './base';
import { photoUploadSchema } from './photos';

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

/** 签到 (check in) or 再次入场复核 (re-verify someone already checked in, on re-entry). */
export const deskModeSchema = z.enum(['checkin', 'reverify']);
export type DeskMode = z.infer<typeof deskModeSchema>;

const methodSchema = z.enum(['card', 'ticket', 'name']);

/** Refused (red): the server's reason; who it was when the roster knows, with their roster photo. */
const refusedSchema = z.object({
  ok: z.literal(false),
  code: z.string(),
  message: z.string(),
  /** Who the card or ticket belongs to, when the roster knows. */
  name: z.string().nullable(),
  candidateId: z.number().int().nullable(),
  rosterPhotoId: z.number().int().nullable(),
});

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
    method: methodSchema,
    at: z.string(),
    /** candidates.photo_id: the photo from the roster, to compare with the face at the desk. */
    rosterPhotoId: z.number().int().nullable(),
    /** The chip photo, when the reader's vendor decoder gave one (stored with the check-in). */
    cardPhotoId: z.number().int().nullable(),
    /** The live webcam photo; null until the desk sends one (checkin.attachPhoto). */
    livePhotoId: z.number().int().nullable(),
  }),
  refusedSchema,
]);
export type CheckinResult = z.infer<typeof checkinResultSchema>;

export const verificationSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  method: methodSchema,
  operatorName: z.string(),
  note: z.string().nullable(),
  photoId: z.number().int().nullable(),
});
export type Verification = z.infer<typeof verificationSchema>;

/** Re-entry verification (再次入场复核): green with the original check-in, or red with the reason. */
export const reverifyResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    verificationId: z.number().int(),
    checkinId: z.number().int(),
    candidateId: z.number().int(),
    name: z.string(),
    idNumberMasked: z.string(),
    admissionTicketNo: z.string().nullable(),
    roomName: z.string(),
    seatNo: z.number().int(),
    /** When and how the candidate first checked in. */
    checkedInAt: z.string(),
    checkinMethod: methodSchema,
    /** How this verification was done, and when. */
    method: methodSchema,
    at: z.string(),
    rosterPhotoId: z.number().int().nullable(),
    /** The live photo taken at check-in. */
    checkinPhotoId: z.number().int().nullable(),
    /** The live photo of this verification; null until the desk sends one. */
    livePhotoId: z.number().int().nullable(),
    /** Every verification of this check-in, newest first (this one included). */
    history: z.array(verificationSchema),
  }),
  refusedSchema,
]);
export type ReverifyResult = z.infer<typeof reverifyResultSchema>;

const foundCandidateSchema = z.object({
  candidateId: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  admissionTicketNo: z.string().nullable(),
  roomName: z.string().nullable(),
  seatNo: z.number().int().nullable(),
  checkedIn: z.boolean(),
});
export type FoundCandidate = z.infer<typeof foundCandidateSchema>;

const manualReasonSchema = z.string().trim().min(2, '请填写人工签到的原因').max(300);

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
  /** A card read while the desk is in 复核 mode. */
  z.object({
    type: z.literal('reverify'),
    card: z.object({
      cardType: cardTypeSchema,
      name: z.string(),
      idNumberMasked: z.string(),
      validUntil: z.string().nullable(),
    }),
    result: reverifyResultSchema,
  }),
  z.object({ type: z.literal('removed') }),
  z.object({ type: z.literal('reader-error'), code: z.string(), message: z.string() }),
]);
export type DeskEvent = z.infer<typeof deskEventSchema>;

/** A candidate found by ticket scan or name search at a desk, with the reason the card was not used. */
const manualInputSchema = deskSchema.extend({
  candidateId: z.number().int(),
  method: z.enum(['ticket', 'name']),
  reason: manualReasonSchema,
});
export type ManualInput = z.infer<typeof manualInputSchema>;

export const checkinContract = {
  /**
   * Open the desk for one session and room: every card laid on the host's reader is checked in here and
   * the result streamed back, until the desk closes the stream. In 'reverify' mode a card re-verifies
   * a candidate already checked in instead.
   */
  desk: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(deskSchema.extend({ mode: deskModeSchema.default('checkin') }))
    .output(eventIterator(deskEventSchema)),
  /** Check in the holder of a card read at this desk. */
  byCard: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(deskSchema.extend({ card: cardReadSchema }))
    .output(checkinResultSchema),
  /** Fallback without a card read (ticket barcode/QR scan or name search): a reason is required. */
  manual: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(manualInputSchema)
    .output(checkinResultSchema),
  /** Re-verify on re-entry without a card read (ticket scan or name search): the reason is kept as the note. */
  reverify: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(manualInputSchema)
    .output(reverifyResultSchema),
  /**
   * Store the live webcam photo of a check-in (or, with verificationId, of one re-entry verification of it).
   * Sending another one (重拍) replaces the reference; the old photo stays in the store.
   */
  attachPhoto: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(
      z.object({
        checkinId: z.number().int(),
        verificationId: z.number().int().optional(),
        photo: photoUploadSchema,
      }),
    )
    .output(z.object({ photoId: z.number().int() })),
  /** The candidate of this session's sitting with exactly this admission ticket number (a scanner's input). */
  findTicket: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(
      z.object({ sessionId: z.number().int(), ticketNo: z.string().trim().min(1, '请扫描准考证').max(40) }),
    )
    .output(foundCandidateSchema),
  /** Find candidates of the session by name, ticket number or the last digits of the ID number. */
  search: base
    .meta({ access: ['exam_admin', 'proctor'] })
    .input(z.object({ sessionId: z.number().int(), q: z.string().trim().min(1).max(40) }))
    .output(z.array(foundCandidateSchema)),
  /** Per room: expected, checked in, who is missing. Updated live by `checkin.changed` events. */
  progress: base
    .meta({ access: ['exam_admin', 'proctor', 'supervisor'] })
    .input(z.object({ sessionId: z.number().int() }))
    .output(z.array(roomProgressSchema)),
};

/** Events of this feature (assembled into the one union in events.ts). */
export const checkinEvents = [
  /** Someone checked in at a room: proctor screens and progress pages refresh. */
  z.object({
    type: z.literal('checkin.changed'),
    sessionId: z.number().int(),
    roomId: z.number().int(),
    candidateId: z.number().int(),
    at: z.string(),
  }),
] as const;
