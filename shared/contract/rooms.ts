import { z } from 'zod';
import { base } from './base';

export const roomInputSchema = z.object({
  name: z.string().trim().min(1, '请填写考场名称').max(60),
  location: z.string().trim().max(200),
  capacity: z.number().int().min(1, '座位数至少为 1').max(500, '座位数最多 500'),
  columns: z.number().int().min(1).max(30),
  active: z.boolean(),
});
export const roomSchema = roomInputSchema.extend({ id: z.number().int() });
export type Room = z.infer<typeof roomSchema>;

export const roomsContract = {
  list: base.meta({ access: 'signed-in' }).output(z.array(roomSchema)),
  create: base
    .meta({ access: ['exam_admin'] })
    .input(roomInputSchema)
    .output(roomSchema),
  update: base
    .meta({ access: ['exam_admin'] })
    .input(roomInputSchema.extend({ id: z.number().int() }))
    .output(roomSchema),
};
