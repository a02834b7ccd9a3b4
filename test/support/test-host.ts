/**
 * An in-process site host for tests that talk to the host as its clients do: openCore on a scratch
 * database (SQLite or PostgreSQL, see engines.ts) with a pinned clock, the real HTTP/WebSocket server on
 * a free port, and a typed contract client per role, each signed in as a fixture user of that role.
 *
 *   const host = await startTestHost(target.options(), { clock: fixedClock('2026-12-08T01:00:00Z') });
 *   const proctor = await host.clientFor('proctor');
 *   await proctor.checkin.progress({ sessionId });
 *   host.clock.advance(60_000);
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/fetch';
import type { ContractRouterClient } from '@orpc/contract';
import type { contract } from '../../shared/contract';
import type { Role } from '../../shared/domain/roles';
import { fixedClock, type FixedClock } from '../../main/base/clock';
import { openCore, type OpenedCore } from '../../main/core';
import type { CoreOptions } from '../../main/core/types';
import type { OpenDatabaseOptions } from '../../main/db';
import { startSiteHost, type SiteHost } from '../../main/host/server';
import { createFixtureUser, FIXTURE_PASSWORD } from './users';

export type SiteClient = ContractRouterClient<typeof contract>;

export interface TestHost {
  url: string;
  core: OpenedCore;
  /** The host's clock: pinned; move it with set() and advance(). */
  clock: FixedClock;
  /** A client without a session (what a browser has before signing in). */
  anonymous: SiteClient;
  /** A client signed in as a fixture user holding `role` (created on first use, one per role). */
  clientFor(role: Role): Promise<SiteClient>;
  /** A client with this bearer token (a session from elsewhere). */
  clientWithToken(token: string): SiteClient;
  close(): Promise<void>;
}

export interface TestHostOptions extends Partial<Omit<CoreOptions, 'dataDir' | 'databaseUrl' | 'clock'>> {
  /** The pinned clock (default: fixed at the time the host starts). */
  clock?: FixedClock;
}

export async function startTestHost(
  database: OpenDatabaseOptions,
  options: TestHostOptions = {},
): Promise<TestHost> {
  const clock = options.clock ?? fixedClock(new Date());
  const rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-ui-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>test host</title>');
  const core = await openCore({
    demo: false,
    backupIntervalMinutes: 0,
    ...options,
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    clock,
  });
  let host: SiteHost;
  try {
    host = await startSiteHost(core, { host: '127.0.0.1', port: 0, rendererDir });
  } catch (e) {
    await core.close();
    throw e;
  }
  const clientWithToken = (token: string): SiteClient =>
    createORPCClient(
      new RPCLink({
        url: `${host.url}/rpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    );
  const anonymous = clientWithToken('');
  const byRole = new Map<Role, Promise<SiteClient>>();
  const clientFor = (role: Role): Promise<SiteClient> => {
    let c = byRole.get(role);
    if (!c) {
      c = (async () => {
        const username = `host-${role}`;
        await createFixtureUser(core.services.kernel, username, [role], username);
        const session = await anonymous.auth.signIn({ username, password: FIXTURE_PASSWORD });
        return clientWithToken(session.token);
      })();
      byRole.set(role, c);
    }
    return c;
  };
  return {
    url: host.url,
    core,
    clock,
    anonymous,
    clientFor,
    clientWithToken,
    async close() {
      await host.close();
      await core.close();
      fs.rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}
