/**
 * The global setup itself: it finds the newest installed PostgreSQL, fails with install instructions when
 * there is none, skips loudly when told to, uses PG_TEST_URL when given, and its teardown really stops
 * the private server it started.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findPgBin, setupPostgres, type Provider } from './postgres-global-setup';
import { PG_SKIP_MESSAGE } from './provided-context';
import { makeTempDir, pgSkipReason, pgTestUrl } from './engines';

function recorder(): { project: Provider; provided: Record<string, unknown> } {
  const provided: Record<string, unknown> = {};
  const project: Provider = {
    provide: (key, value) => {
      provided[key] = value;
    },
  };
  return { project, provided };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function fakeInstall(versions: string[]): string {
  const root = makeTempDir('exam-site-fake-pg-');
  dirs.push(root);
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'pg_ctl'), '');
    fs.writeFileSync(path.join(bin, 'initdb'), '');
  }
  return root;
}

describe('findPgBin', () => {
  it('picks the newest installed version', () => {
    const root = fakeInstall(['9.6', '13', '15']);
    fs.mkdirSync(path.join(root, 'not-a-version', 'bin'), { recursive: true });
    expect(findPgBin({ PATH: '' }, root)).toBe(path.join(root, '15', 'bin'));
  });
  it('falls back to PATH, and finds nothing when there is nothing', () => {
    const root = fakeInstall(['14']);
    expect(findPgBin({ PATH: path.join(root, '14', 'bin') }, '/nonexistent')).toBe(
      path.join(root, '14', 'bin'),
    );
    expect(findPgBin({ PATH: '/nonexistent-bin' }, '/nonexistent')).toBeNull();
  });
});

describe('setupPostgres', () => {
  it('fails with install instructions when PostgreSQL is not installed', async () => {
    const { project, provided } = recorder();
    const err = await setupPostgres(project, {
      env: { PATH: '/nonexistent-bin' },
      pgRoot: '/nonexistent',
    }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toContain('PostgreSQL is not installed');
    expect(err?.message).toContain('apt-get install -y postgresql');
    expect(err?.message).toContain('EXAM_SITE_SKIP_PG=1');
    expect(provided).toEqual({});
  });

  it('skips loudly with EXAM_SITE_SKIP_PG=1', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { project, provided } = recorder();
    expect(await setupPostgres(project, { env: { EXAM_SITE_SKIP_PG: '1' } })).toBeUndefined();
    expect(provided).toEqual({ pgUrl: null, pgSkipReason: PG_SKIP_MESSAGE });
    expect(String(warn.mock.calls[0]?.[0])).toContain('SKIPPED: PostgreSQL tests (EXAM_SITE_SKIP_PG=1)');
  });

  it('refuses a PG_TEST_URL it cannot reach, naming it', async () => {
    const { project } = recorder();
    await expect(
      setupPostgres(project, { env: { PG_TEST_URL: 'postgres://nobody@127.0.0.1:1/none' } }),
    ).rejects.toThrow(
      'PG_TEST_URL is set but the server cannot be reached (postgres://nobody@127.0.0.1:1/none)',
    );
  });

  describe.skipIf(pgSkipReason() !== null)('with PostgreSQL available', () => {
    it('uses PG_TEST_URL as given, without starting a server', async () => {
      const { project, provided } = recorder();
      const url = pgTestUrl()!;
      expect(await setupPostgres(project, { env: { PG_TEST_URL: url } })).toBeUndefined();
      expect(provided).toEqual({ pgUrl: url, pgSkipReason: null });
    });

    it('starts a private server on 127.0.0.1 that teardown stops', async () => {
      const { project, provided } = recorder();
      const teardown = await setupPostgres(project, { env: { ...process.env, PG_TEST_URL: undefined } });
      const url = provided.pgUrl as string;
      expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/exam_site_test$/);
      const k = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      try {
        const version = await k.raw<{ rows: Array<{ server_version: string }> }>('show server_version');
        expect(version.rows[0]!.server_version).toMatch(/^\d+/);
        expect((await k.raw<{ rows: Array<{ fsync: string }> }>('show fsync')).rows[0]).toEqual({
          fsync: 'off',
        });
      } finally {
        await k.destroy();
      }
      teardown!();
      const after = knexFactory({
        client: 'pg',
        connection: url,
        pool: { min: 0, max: 1 },
        acquireConnectionTimeout: 3000,
      });
      try {
        await expect(after.raw('select 1')).rejects.toThrow();
      } finally {
        await after.destroy();
      }
    });
  });
});
