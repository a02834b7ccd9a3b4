import { z } from 'zod';
import { base } from './base';
import { componentSchema } from './sittings';

/** An exam session (场次) of a sitting: one component at one time, in some rooms. */
export const sessionInputSchema = z
  .object({
    sittingId: z.number().int(),
    name: z.string().trim().min(1, '请填写场次名称').max(100),
    component: componentSchema,
    startsAt: z.iso.datetime({ offset: true, message: '开始时间格式有误' }),
    endsAt: z.iso.datetime({ offset: true, message: '结束时间格式有误' }),
    opensMinutesBefore: z.number().int().min(0).max(180),
    lateCutoffMinutes: z.number().int().min(0).max(120),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    message: '结束时间应晚于开始时间',
    path: ['endsAt'],
  });

export const sessionSchema = z.object({
  id: z.number().int(),
  sittingId: z.number().int(),
  name: z.string(),
  component: componentSchema,
  startsAt: z.string(),
  endsAt: z.string(),
  opensMinutesBefore: z.number().int(),
  lateCutoffMinutes: z.number().int(),
  seated: z.number().int(),
  checkedIn: z.number().int(),
});
export type ExamSession = z.infer<typeof sessionSchema>;

export const roomPlanSchema = z.object({
  roomId: z.number().int(),
  roomName: z.string(),
  capacity: z.number().int(),
  seated: z.number().int(),
  proctorIds: z.array(z.number().int()),
  evaluatorIds: z.array(z.number().int()),
  /** Broken ratio rules (domain.md §3.2); empty when the room is staffed correctly. */
  violations: z.array(z.string()),
  override: z.object({ reason: z.string(), approvedBy: z.string(), approvedAt: z.string() }).nullable(),
});
export type RoomPlan = z.infer<typeof roomPlanSchema>;

export const sessionsContract = {
  list: base
    .meta({ access: 'signed-in' })
    .input(z.object({ sittingId: z.number().int() }))
    .output(z.array(sessionSchema)),
  create: base
    .meta({ access: ['exam_admin'] })
    .input(sessionInputSchema)
    .output(sessionSchema),
  /** Rooms of the session with seats taken, staff and the ratio check. */
  plan: base
    .meta({ access: ['exam_admin', 'proctor', 'supervisor', 'evaluator_lead'] })
    .input(z.object({ sessionId: z.number().int() }))
    .output(z.array(roomPlanSchema)),
  /** Seat every approved or pending candidate of the session's levels at random in the chosen rooms. */
  assignSeats: base
    .meta({ access: ['exam_admin'] })
    .input(
      z.object({
        sessionId: z.number().int(),
        roomIds: z.array(z.number().int()).min(1, '请选择考场'),
        separateEmployers: z.boolean(),
      }),
    )
    .output(z.object({ seated: z.number().int(), seed: z.number().int() })),
  setStaff: base
    .meta({ access: ['exam_admin'] })
    .input(
      z.object({
        sessionId: z.number().int(),
        roomId: z.number().int(),
        proctorIds: z.array(z.number().int()),
        evaluatorIds: z.array(z.number().int()),
      }),
    )
    .output(roomPlanSchema),
  /** Knowingly accept a room that breaks a ratio rule; logged with the reason. */
  overrideStaffing: base
    .meta({ access: ['exam_admin', 'supervisor'] })
    .input(
      z.object({
        sessionId: z.number().int(),
        roomId: z.number().int(),
        reason: z.string().trim().min(4, '请写明原因（至少 4 个字）').max(300),
      }),
    )
    .output(roomPlanSchema),
};
