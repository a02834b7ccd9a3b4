/**
 * Check-in latency (issue 3): with 10,000 candidates in the sitting, 1,000 simulated scans; for each,
 * the time from the reader driver reporting the card (its last frame byte received, reassembled, checked
 * and parsed: the driver's 'card' event) to the desk's event arriving at an HTTP client (what the check-in
 * screen receives). Run alone: npx tsx test/bench/checkin.ts [candidates] [scans]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/fetch';
import type { ContractRouterClient } from '@orpc/contract';
import type { contract } from '../../shared/contract';
import { openCore } from '../../main/core';
import { startSiteHost } from '../../main/host/server';
import { SimulatorReader } from '../../main/devices/idcard/simulator-driver';
import { candidateToRow } from '../../main/candidates/candidates.service';
import { idCheckChar } from '../../shared/domain/id-number';
import { simulatedCard } from '../../main/devices/reader-support';

export async function benchCheckin(candidates = 10_000, scans = 1_000): Promise<void> {
  const out = (l: string) => process.stdout.write(l + '\n');
  out(`\n## Check-in: reader → desk screen, ${candidates} candidates, ${scans} scans`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-bench-checkin-'));
  fs.mkdirSync(path.join(dir, 'renderer'));
  fs.writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html>');
  let reader: SimulatorReader | undefined;
  const core = await openCore({
    dataDir: path.join(dir, 'data'),
    demo: false,
    backupIntervalMinutes: 0,
    readerFactory: () => {
      reader = new SimulatorReader({
        pollIntervalMs: 5,
        readAppendedAddress: false,
        device: {
          delays: { status: 0, samId: 0, find: 0, select: 0, read: 0, appendedAddress: 0, other: 0 },
        },
      });
      return reader;
    },
  });
  const host = await startSiteHost(core, {
    host: '127.0.0.1',
    port: 0,
    rendererDir: path.join(dir, 'renderer'),
  });
  let token = '';
  const client: ContractRouterClient<typeof contract> = createORPCClient(
    new RPCLink({ url: `${host.url}/rpc`, headers: () => ({ authorization: `Bearer ${token}` }) }),
  );
  try {
    token = (await client.auth.setup({ username: 'bench', displayName: '基准', password: 'bench-password' }))
      .token;
    const occ = (await client.occupations.list())[0]!;
    const sitting = await client.sittings.create({
      name: '基准批次',
      occupationId: occ.id,
      trade: '',
      levels: [5],
      components: { '5': ['theory', 'practical'] },
      startDate: '2026-12-01',
      endDate: '2026-12-01',
    });
    const ids: string[] = [];
    const rows = [];
    for (let i = 0; i < candidates; i++) {
      // 110105 + a birth date from 1900-01-01 on (one year per 1,000 people) + a sequence: unique and valid.
      const uniqueBody = `110105${String(1900 + Math.floor(i / 1000)).padStart(4, '0')}0101${String(i % 1000).padStart(3, '0')}`;
      const id = uniqueBody + idCheckChar(uniqueBody);
      ids.push(id);
      rows.push(
        candidateToRow(
          sitting.id,
          {
            name: `考生${i}`,
            gender: null,
            idType: 'resident_id',
            idNumber: id,
            birthDate: null,
            ethnicity: null,
            education: null,
            phone: null,
            address: null,
            employer: null,
            source: null,
            appliedLevel: 5,
            trade: null,
            eligibilityBasis: null,
            priorCertNo: null,
            yearsInOccupation: null,
            admissionTicketNo: `T${i}`,
          },
          null,
          new Date().toISOString(),
        ),
      );
    }
    for (let i = 0; i < rows.length; i += 500) {
      await core.services.db.knex('candidates').insert(rows.slice(i, i + 500));
    }
    const roomIds: number[] = [];
    for (let r = 0; r < Math.ceil(candidates / 100); r++) {
      roomIds.push(
        (
          await client.rooms.create({
            name: `第${r + 1}考场`,
            location: '',
            capacity: 100,
            columns: 10,
            active: true,
          })
        ).id,
      );
    }
    const start = new Date(Date.now() + 10 * 60_000).toISOString();
    const session = await client.sessions.create({
      sittingId: sitting.id,
      name: '理论知识考试',
      component: 'theory',
      startsAt: start,
      endsAt: new Date(Date.parse(start) + 7200_000).toISOString(),
      opensMinutesBefore: 30,
      lateCutoffMinutes: 15,
    });
    await client.sessions.assignSeats({ sessionId: session.id, roomIds, separateEmployers: false });
    // The desk refuses a room whose staffing breaks the ratio rules; record the exception as a supervisor would.
    await client.sessions.overrideStaffing({
      sessionId: session.id,
      roomId: roomIds[0]!,
      reason: '性能基准测试，不安排考务人员',
    });

    // People seated at this desk first (real check-ins), then others (refused: wrong room).
    const here = new Set(
      (await core.services.db
        .knex('seat_assignments as a')
        .join('candidates as c', 'c.id', 'a.candidate_id')
        .where({ 'a.session_id': session.id, 'a.room_id': roomIds[0] })
        .pluck('c.id_number')) as string[],
    );
    const order = [...ids.filter((id) => here.has(id)), ...ids.filter((id) => !here.has(id))];
    const controller = new AbortController();
    const desk = await client.checkin.desk(
      { sessionId: session.id, roomId: roomIds[0]! },
      { signal: controller.signal },
    );
    const iterator = desk[Symbol.asyncIterator]();
    const next = async (type: string) => {
      for (;;) {
        const r = await iterator.next();
        if (r.done) throw new Error('desk stream ended');
        if (r.value.type === type) return r.value;
      }
    };
    await next('ready');
    const sent = new Map<string, number>();
    reader!.on('card', (c) => sent.set(c.idNumber, performance.now()));
    const latencies: number[] = [];
    const outcome = new Map<string, number>();
    for (let s = 0; s < scans; s++) {
      const id = order[s % order.length]!;
      reader!.insertCard(
        simulatedCard({
          cardType: 'resident',
          name: '持卡人',
          idNumber: id,
          gender: '男',
          birthDate: '1990-01-01',
          validUntil: '2035-12-31',
        }),
      );
      const e = await next('card');
      const t1 = performance.now();
      if (e.type === 'card') {
        const key = e.result.ok ? 'ok' : e.result.code;
        outcome.set(key, (outcome.get(key) ?? 0) + 1);
      }
      latencies.push(t1 - (sent.get(id) ?? t1));
      reader!.removeCard();
      await next('removed');
    }
    controller.abort();
    latencies.sort((a, b) => a - b);
    const q = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
    out(`results: ${[...outcome].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    out(`| figure | measured | target |`);
    out(`|---|---|---|`);
    out(`| p50 reader card event → desk event at the client | ${q(0.5)} ms | |`);
    out(`| p99 | ${q(0.99)} ms | < 50 ms |`);
    out(`| max | ${latencies[latencies.length - 1]!.toFixed(1)} ms | |`);
  } finally {
    await host.close();
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('checkin.ts')) {
  await benchCheckin(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 1_000));
}
