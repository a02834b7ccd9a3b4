import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createORPCClient, ORPCError } from '@orpc/client';
import { RPCLink as FetchLink } from '@orpc/client/fetch';
import { RPCLink as PortLink } from '@orpc/client/message-port';
import { RPCLink as WsLink } from '@orpc/client/websocket';
import type { ContractRouterClient } from '@orpc/contract';
import { WebSocket } from 'ws';
import type { contract } from '../../shared/contract';
import { openCore, type OpenedCore } from '../core';
import { startSiteHost, type SiteHost } from '../host/server';

type Client = ContractRouterClient<typeof contract>;

let dir: string;
let core: OpenedCore;
let host: SiteHost;
let adminToken = '';
let proctorToken = '';

function httpClient(token: () => string): Client {
  return createORPCClient(
    new FetchLink({
      url: `${host.url}/rpc`,
      headers: () => (token() ? { authorization: `Bearer ${token()}` } : {}),
    }),
  );
}

async function errorOf(p: Promise<unknown>): Promise<ORPCError<string, { field?: string }>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ORPCError) return e as ORPCError<string, { field?: string }>;
    throw e;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-rpc-'));
  const renderer = path.join(dir, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  core = await openCore({ dataDir: path.join(dir, 'data'), demo: true, backupIntervalMinutes: 0 });
  host = await startSiteHost(core, { host: '127.0.0.1', port: 0, rendererDir: renderer });
  const anon = httpClient(() => '');
  adminToken = (
    await anon.auth.setup({ username: 'admin', displayName: '管理员', password: 'admin-password' })
  ).token;
  const admin = httpClient(() => adminToken);
  await admin.users.create({
    username: 'proctor1',
    displayName: '监考甲',
    password: 'proctor-password',
    roles: ['proctor'],
  });
  proctorToken = (await anon.auth.signIn({ username: 'proctor1', password: 'proctor-password' })).token;
});

afterAll(async () => {
  await host.close();
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the contract over HTTP', () => {
  it('refuses every signed-in procedure without a session', async () => {
    const e = await errorOf(httpClient(() => '').candidates.list({ sittingId: 1 }));
    expect(e.code).toBe('UNAUTHORIZED');
    expect(e.message).toContain('请先登录');
  });

  it('refuses an administrator procedure to a proctor, and lets the proctor read the roster', async () => {
    const proctor = httpClient(() => proctorToken);
    const e = await errorOf(proctor.users.list());
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toBe('您的角色无权执行此操作');
    const e2 = await errorOf(
      proctor.users.create({
        username: 'sneaky',
        displayName: 'x',
        password: 'password-1',
        roles: ['exam_admin'],
      }),
    );
    expect(e2.code).toBe('FORBIDDEN');
    const list = await proctor.candidates.list({ sittingId: 1 });
    expect(list.total).toBe(20);
    expect(list.rows[0]?.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
  });

  it('reports invalid input with a Chinese message and the field at fault, not a stack trace', async () => {
    const admin = httpClient(() => adminToken);
    const e = await errorOf(
      admin.users.create({
        username: 'new-user',
        displayName: '新用户',
        password: 'short',
        roles: ['proctor'],
      }),
    );
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.data?.field).toBe('password');
    expect(e.message).toContain('密码至少 8 位');
    expect(JSON.stringify(e.data)).not.toContain('at ');
  });

  it('a forged or expired token is refused', async () => {
    const e = await errorOf(httpClient(() => 'forged-token').auth.me());
    expect(e.code).toBe('UNAUTHORIZED');
  });
});

describe('the same contract over a MessagePort (the desktop window)', () => {
  it('serves calls with the session header, and enforces roles the same way', async () => {
    const { port1, port2 } = new MessageChannel();
    core.attachMessagePort(port2);
    let token = proctorToken;
    const client: Client = createORPCClient(
      new PortLink({ port: port1, headers: () => ({ authorization: `Bearer ${token}` }) }),
    );
    port1.start();
    expect((await client.auth.me()).username).toBe('proctor1');
    expect((await errorOf(client.users.list())).code).toBe('FORBIDDEN');
    token = adminToken;
    expect((await client.users.list()).map((u) => u.username)).toEqual(['admin', 'proctor1']);
    port1.close();
  });
});

describe('push events over WebSocket', () => {
  it('a client sees candidates.changed when another client reviews candidates', async () => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/ws`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const wsClient: Client = createORPCClient(
      new WsLink({
        websocket: ws,
        headers: () => ({ authorization: `Bearer ${proctorToken}` }),
      }),
    );
    const controller = new AbortController();
    const stream = await wsClient.system.events(undefined, { signal: controller.signal });
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of stream) {
        seen.push(e.type);
        if (e.type === 'candidates.changed') break;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const admin = httpClient(() => adminToken);
    await admin.candidates.review({ candidateIds: [1, 2], decision: 'approved' });
    await done;
    expect(seen).toEqual(['hello', 'candidates.changed']);
    controller.abort();
    ws.close();
  });
});
