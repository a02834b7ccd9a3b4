import type { Database } from '../db';
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
import { EventBus } from './events';
import { RoomsService } from '../rooms/rooms.service';
import { SessionsService } from '../sessions/sessions.service';
import { CheckinService } from '../checkin/checkin.service';
import { ReaderManager, type ReaderFactory } from '../devices/reader-manager';
import { PhotosService } from '../photos/photos.service';
import { PrintingService } from '../printing/printing.service';

export interface Services {
  db: Database;
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
  photos: PhotosService;
  printing: PrintingService;
  /** The host's clock (tests pin it). */
  clock: () => Date;
}

export function createServices(
  db: Database,
  opts: {
    demo: boolean;
    dataDir: string;
    backupDir: string;
    readerFactory: ReaderFactory;
    clock?: () => Date;
  },
): Services {
  const { knex } = db;
  const sittings = new SittingsService(knex);
  const sessions = new SessionsService(knex);
  const settings = new SettingsStore(knex);
  return {
    db,
    demo: opts.demo,
    events: new EventBus(),
    settings,
    auth: new AuthService(knex),
    users: new UsersService(knex),
    org: new OrgService(knex),
    occupations: new OccupationsService(knex),
    sittings,
    candidates: new CandidatesService(knex),
    roster: new RosterService(knex, sittings),
    audit: new AuditService(knex),
    system: new SystemService(db, opts.dataDir, opts.backupDir),
    rooms: new RoomsService(knex),
    sessions,
    checkin: new CheckinService(knex, sessions, opts.clock),
    readers: new ReaderManager(opts.readerFactory, settings),
    photos: new PhotosService(knex),
    clock: opts.clock ?? (() => new Date()),
    printing: new PrintingService(knex, {
      sittings,
      sessions,
      org: new OrgService(knex),
      photos: new PhotosService(knex),
    }),
  };
}
