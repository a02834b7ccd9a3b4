/**
 * Builds every service once, on one kernel (database, host clock, time zone, event bus). Only the
 * composition root (main/core/), the shells and the RPC layer see this object.
 */
import type { Database } from '../db';
import type { Kernel } from '../base/kernel';
import type { Clock } from '../base/clock';
import { AuthService } from '../auth/auth.service';
import { UsersService } from '../users/users.service';
import { OrgService } from '../org/org.service';
import { OccupationsService } from '../occupations/occupations.service';
import { SittingsService } from '../sittings/sittings.service';
import { CandidatesService } from '../candidates/candidates.service';
import { RosterService } from '../roster/roster.service';
import { AuditService } from '../audit/audit.service';
import { SystemService } from '../system/system.service';
import { SettingsStore } from '../system/settings';
import type { EventBus } from '../base/events';
import { RoomsService } from '../rooms/rooms.service';
import { SessionsService } from '../sessions/sessions.service';
import { CheckinService } from '../checkin/checkin.service';
import { ReaderManager, type ReaderFactory } from '../devices/reader-manager';
import { DevicesService } from '../devices/devices.service';
import { PhotosService } from '../photos/photos.service';
import { PrintingService } from '../printing/printing.service';

export interface Services {
  db: Database;
  kernel: Kernel;
  demo: boolean;
  events: EventBus;
  settings: SettingsStore;
  auth: AuthService;
  users: UsersService;
  org: OrgService;
  occupations: OccupationsService;
  sittings: SittingsService;
  candidates: CandidatesService;
  roster: RosterService;
  audit: AuditService;
  system: SystemService;
  rooms: RoomsService;
  sessions: SessionsService;
  checkin: CheckinService;
  readers: ReaderManager;
  devices: DevicesService;
  photos: PhotosService;
  printing: PrintingService;
  /** The host's clock (tests pin it). */
  clock: Clock;
}

export function createServices(
  db: Database,
  kernel: Kernel,
  opts: {
    demo: boolean;
    dataDir: string;
    backupDir: string;
    readerFactory: ReaderFactory;
  },
): Services {
  const settings = new SettingsStore(kernel);
  const sittings = new SittingsService(kernel);
  const sessions = new SessionsService(kernel);
  const org = new OrgService(kernel);
  const photos = new PhotosService(kernel);
  const readers = new ReaderManager(opts.readerFactory, settings);
  const system = new SystemService(db, kernel, settings, opts.dataDir, opts.backupDir);
  const checkin = new CheckinService(kernel, sessions, readers);
  const printing = new PrintingService(kernel, { sittings, sessions, checkin, org, photos });
  return {
    db,
    kernel,
    demo: opts.demo,
    events: kernel.events,
    clock: kernel.clock,
    settings,
    auth: new AuthService(kernel),
    users: new UsersService(kernel),
    org,
    occupations: new OccupationsService(kernel),
    sittings,
    candidates: new CandidatesService(kernel, sittings),
    roster: new RosterService(kernel, sittings),
    audit: new AuditService(kernel),
    system,
    rooms: new RoomsService(kernel),
    sessions,
    checkin,
    readers,
    devices: new DevicesService(kernel, { readers, printing, system }),
    photos,
    printing,
  };
}
