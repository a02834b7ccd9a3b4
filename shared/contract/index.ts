/**
 * The one typed contract between the core and every client (desktop window over MessagePort,
 * LAN clients over HTTP + WebSocket, tests). Grouped by feature; each feature keeps one name
 * across shared/, main/ and renderer/.
 */
import { authContract } from './auth';
import { usersContract } from './users';
import { orgContract } from './org';
import { occupationsContract } from './occupations';
import { sittingsContract } from './sittings';
import { candidatesContract } from './candidates-api';
import { rosterContract } from './roster-api';
import { auditContract } from './audit';
import { systemContract } from './system';
import { roomsContract } from './rooms';
import { sessionsContract } from './sessions';
import { checkinContract } from './checkin';
import { devicesContract } from './devices';
import { photosContract } from './photos';
import { printingContract } from './printing';

export const contract = {
  auth: authContract,
  users: usersContract,
  org: orgContract,
  occupations: occupationsContract,
  sittings: sittingsContract,
  candidates: candidatesContract,
  roster: rosterContract,
  audit: auditContract,
  system: systemContract,
  rooms: roomsContract,
  sessions: sessionsContract,
  checkin: checkinContract,
  devices: devicesContract,
  photos: photosContract,
  printing: printingContract,
};
export type Contract = typeof contract;

export type { Access, ProcedureMeta, AppErrorData } from './base';
