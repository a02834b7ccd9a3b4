import type { Knex } from 'knex';
import * as m0001 from './0001-create-foundation';
import * as m0002 from './0002-create-checkin';
import * as m0003 from './0003-create-photos';

/** Ordered, immutable migrations bundled with the app (no directory scan at run time). */
export const MIGRATIONS: ReadonlyArray<{ name: string; migration: Knex.Migration }> = [
  { name: '0001-create-foundation', migration: m0001 },
  { name: '0002-create-checkin', migration: m0002 },
  { name: '0003-create-photos', migration: m0003 },
];

export const migrationSource: Knex.MigrationSource<{ name: string; migration: Knex.Migration }> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: (m) => m.name,
  getMigration: (m) => Promise.resolve(m.migration),
};
