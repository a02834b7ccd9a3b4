/**
 * The whole contract, mounted: one line per feature. Each feature's router (main/rpc/<feature>.ts) only
 * maps its procedures to service calls; the guard that checks sessions and roles is in base.ts, the wire
 * form of errors in wire-errors.ts.
 */
import { guarded } from './base';
import { audit } from './audit';
import { auth } from './auth';
import { candidates } from './candidates';
import { checkin } from './checkin';
import { devices } from './devices';
import { occupations } from './occupations';
import { org } from './org';
import { photos } from './photos';
import { printing } from './printing';
import { rooms } from './rooms';
import { roster } from './roster';
import { sessions } from './sessions';
import { sittings } from './sittings';
import { system } from './system';
import { users } from './users';

export { mayAccess, type AuthedContext, type RequestContext } from './base';
export { toWireError } from './wire-errors';

export const router = guarded.router({
  auth,
  users,
  org,
  occupations,
  sittings,
  candidates,
  roster,
  audit,
  system,
  rooms,
  sessions,
  checkin,
  devices,
  photos,
  printing,
});

export type AppRouter = typeof router;
