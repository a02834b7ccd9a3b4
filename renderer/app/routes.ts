import type { ComponentType } from 'react';
import { contract } from '../../shared/contract';
import type { Access } from '../../shared/contract';
import { accessOf } from './access';
import { OrgPage } from '../features/org/org.page';
import { UsersPage } from '../features/users/users.page';
import { OccupationsPage } from '../features/occupations/occupations.page';
import { SittingsPage } from '../features/sittings/sittings.page';
import { CandidatesPage } from '../features/candidates/candidates.page';
import { RosterPage } from '../features/roster/roster.page';
import { AuditPage } from '../features/audit/audit.page';
import { SystemPage } from '../features/system/system.page';
import { RoomsPage } from '../features/rooms/rooms.page';
import { SessionsPage } from '../features/sessions/sessions.page';
import { CheckinPage } from '../features/checkin/checkin.page';
import { CheckinProgressPage } from '../features/checkin/progress.page';
import { DevicesPage } from '../features/devices/devices.page';
import { PrintingPage } from '../features/printing/printing.page';

export type PageId =
  | 'org'
  | 'users'
  | 'occupations'
  | 'sittings'
  | 'candidates'
  | 'roster'
  | 'audit'
  | 'system'
  | 'rooms'
  | 'sessions'
  | 'checkin'
  | 'checkinProgress'
  | 'devices'
  | 'printing';

export interface PageDefinition {
  id: PageId;
  path: `/${string}`;
  /** Who may open the page: the access of the page's main procedure, straight from the contract. */
  access: Access;
  Page: ComponentType;
}

/** The pages in navigation order. */
export const PAGES: readonly PageDefinition[] = [
  { id: 'sittings', path: '/sittings', access: accessOf(contract.sittings.list), Page: SittingsPage },
  { id: 'candidates', path: '/candidates', access: accessOf(contract.candidates.list), Page: CandidatesPage },
  { id: 'roster', path: '/roster', access: accessOf(contract.roster.preview), Page: RosterPage },
  { id: 'sessions', path: '/sessions', access: accessOf(contract.sessions.plan), Page: SessionsPage },
  { id: 'checkin', path: '/checkin', access: accessOf(contract.checkin.desk), Page: CheckinPage },
  {
    id: 'checkinProgress',
    path: '/checkin-progress',
    access: accessOf(contract.checkin.progress),
    Page: CheckinProgressPage,
  },
  { id: 'rooms', path: '/rooms', access: accessOf(contract.rooms.create), Page: RoomsPage },
  {
    id: 'occupations',
    path: '/occupations',
    access: accessOf(contract.occupations.list),
    Page: OccupationsPage,
  },
  { id: 'org', path: '/org', access: accessOf(contract.org.get), Page: OrgPage },
  { id: 'users', path: '/users', access: accessOf(contract.users.list), Page: UsersPage },
  { id: 'audit', path: '/audit', access: accessOf(contract.audit.list), Page: AuditPage },
  {
    id: 'devices',
    path: '/devices',
    access: accessOf(contract.devices.configureReader),
    Page: DevicesPage,
  },
  { id: 'printing', path: '/printing', access: accessOf(contract.printing.settings), Page: PrintingPage },
  { id: 'system', path: '/system', access: accessOf(contract.system.settings), Page: SystemPage },
];

export const DEFAULT_PATH = '/sittings';

export function findPage(path: string): PageDefinition | undefined {
  return PAGES.find((page) => page.path === path);
}
