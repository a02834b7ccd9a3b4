/**
 * The one union of events pushed to signed-in clients (`system.events`: WebSocket on the LAN, MessagePort in
 * the desktop window). Each feature declares its events beside its contract; this file only assembles them.
 */
import { z } from 'zod';
import { candidatesEvents } from './candidates-api';
import { checkinEvents } from './checkin';
import { sittingsEvents } from './sittings';

/** The connection's greeting: a client that sees it again after a drop refreshes what it shows. */
const helloEvent = z.object({ type: z.literal('hello'), at: z.string() });

export const siteEventSchema = z.discriminatedUnion('type', [
  helloEvent,
  ...candidatesEvents,
  ...sittingsEvents,
  ...checkinEvents,
]);
export type SiteEvent = z.infer<typeof siteEventSchema>;
