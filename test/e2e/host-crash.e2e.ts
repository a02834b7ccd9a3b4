/**
 * The host PC loses power in the middle of check-in. The administrator has imported a roster on 名册导入
 * and committed it, and a first candidate has checked in at the desk with her card; then the host is
 * killed with SIGKILL (no shutdown handler runs, nothing is flushed or closed) and started again on the
 * same data folder (and, on the PostgreSQL run, the same database). After a reload the browser is still
 * signed in, the candidate list and the check-in progress are as before the crash, the desk knows she
 * has checked in, and the audit chain verifies.
 *
 * The host's clock is pinned (serve.ts --clock) at 08:50 at the site on the exam day, ten minutes before
 * the session: the spec does not depend on when it runs. Rooms, the session, seats and the proctors are
 * set up through the API (api.ts): the UI of those is not what this spec is about.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { firstRunSetup, type SiteApi } from './api';
import { choose, layCard, signIn } from './site-steps';
import { MESSY_ROSTER_EXPECTED, makeMessyRosterXlsx } from '../fixtures/roster/make-roster';

const EXAM_DAY = '2026-12-08';
/** 08:50 in Asia/Shanghai (the site's default time zone). */
const HOST_CLOCK = '2026-12-08T00:50:00.000Z';
const SITTING_NAME = '2026年第三批 砌筑工 等级认定';
const ROOM = '第1考场';
/** The messy roster's first accepted row (GB 11643's own example number). */
const WANG_FANG = { name: '王芳', idNumber: '11010519491231002X' };
const IMPORTED = MESSY_ROSTER_EXPECTED.ok + MESSY_ROSTER_EXPECTED.warning;

let host: RunningHost;
let admin: SiteApi;
let desk: { sessionId: number; roomId: number };
let sittingId: number;

test.beforeAll(async () => {
  host = await startHost({ demo: false, clock: `fixed:${HOST_CLOCK}` });
  admin = await firstRunSetup(host.url);
  sittingId = (await admin.createSitting({ name: SITTING_NAME, startDate: EXAM_DAY })).id;
  const room = await admin.createRoom({ name: ROOM, capacity: 12, columns: 4 });
  const session = await admin.createSession({
    sittingId,
    startsAt: `${EXAM_DAY}T09:00:00+08:00`,
    endsAt: `${EXAM_DAY}T11:00:00+08:00`,
  });
  desk = { sessionId: session.id, roomId: room.id };
});

test.afterAll(async () => {
  await host?.stop();
});

async function openDesk(page: Page): Promise<void> {
  await page.getByRole('link', { name: '签到台' }).click();
  if ((await page.getByTestId('checkin-desk').count()) === 0) {
    await choose(page, '考试批次', SITTING_NAME);
    await choose(page, '场次', /理论知识考试/);
    await choose(page, '考场', ROOM);
  }
  await expect(page.getByTestId('checkin-desk')).toBeVisible();
  await expect(page.getByTestId('reader-status')).toContainText('请将身份证放在读卡器上', {
    timeout: 20_000,
  });
}

const progressOfRoom = (page: Page) => page.getByTestId(`progress-${ROOM}`);

test('a roster and a check-in survive the host being killed with SIGKILL and started again', async ({
  page,
}) => {
  expect(await admin.client.system.info()).toMatchObject({ serverTime: HOST_CLOCK, engine: host.engine });

  await test.step('the administrator imports and commits the roster on 名册导入', async () => {
    await signIn(page, host.url);
    await page.getByRole('link', { name: '名册导入' }).click();
    await choose(page, '考试批次', SITTING_NAME);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '名册文件' }).click();
    await (
      await chooser
    ).setFiles({
      name: '花名册-第三批.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await makeMessyRosterXlsx()),
    });
    await expect(page.getByTestId('roster-counts')).toContainText(`可导入 ${IMPORTED} 行`);
    await page.getByRole('button', { name: '确认导入' }).click();
    await expect(page.getByTestId('roster-imported')).toContainText(`已导入 ${IMPORTED} 名考生`);
  });

  await test.step('seats and two proctors (API), then a card at the desk checks 王芳 in', async () => {
    const proctors = [await admin.createUser('proctor'), await admin.createUser('proctor')];
    const { seated } = await admin.seat(desk.sessionId, [desk.roomId], {
      proctors: proctors.map((p) => p.id),
    });
    expect(seated).toBe(IMPORTED);
    await openDesk(page);
    await layCard(page, WANG_FANG);
    await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'ok');
    await expect(page.getByTestId('checkin-result-name')).toHaveText(WANG_FANG.name);
    await expect(page.getByTestId('checkin-result-seat')).toContainText(ROOM);

    await page.getByRole('link', { name: '考场签到情况' }).click();
    await choose(page, '考试批次', SITTING_NAME);
    await choose(page, '场次', /理论知识考试/);
    await expect(progressOfRoom(page)).toHaveText(`应到 ${IMPORTED} 已到 1 未到 ${IMPORTED - 1}`);
  });

  await test.step('the host is killed with SIGKILL and started again on the same folder', async () => {
    await host.crash();
    // No shutdown handler ran: no "stopped" line, and on SQLite the write-ahead log was left behind
    // uncheckpointed (a clean close removes or empties it; main/host/serve.test.ts).
    expect(host.log()).not.toContain('已停止。');
    if (host.engine === 'sqlite') {
      const wal = path.join(host.dataDir, 'exam-site.sqlite-wal');
      expect(fs.existsSync(wal) && fs.statSync(wal).size > 0).toBe(true);
    }
    await host.restart();
    expect(host.log()).toContain(`时钟：fixed:${HOST_CLOCK}`);
  });

  await test.step('after a reload: still signed in, the same progress and candidates', async () => {
    await page.reload();
    await expect(page.getByTestId('current-user-name')).toBeVisible();
    await expect(progressOfRoom(page)).toHaveText(`应到 ${IMPORTED} 已到 1 未到 ${IMPORTED - 1}`);

    await page.getByRole('link', { name: '考生', exact: true }).click();
    await choose(page, '考试批次', SITTING_NAME);
    await expect(page.getByText(`共 ${IMPORTED} 条`)).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: WANG_FANG.name })).toContainText(
      '1101**********002X',
    );
  });

  await test.step('the desk knows 王芳 has checked in', async () => {
    await openDesk(page);
    await layCard(page, WANG_FANG);
    await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'refused');
    await expect(page.getByTestId('checkin-result-message')).toContainText('已于');
  });

  await test.step('the audit chain verifies, on the 审计日志 page and through the API', async () => {
    await page.getByRole('link', { name: '审计日志' }).click();
    await expect(page.getByRole('cell', { name: 'roster.commit', exact: true })).toBeVisible();
    await page.getByRole('button', { name: '校验审计链' }).click();
    await expect(page.getByTestId('audit-verify-result')).toContainText(/审计链完整，共 \d+ 条/);

    // The API session of before the crash still works: sessions are in the database too.
    const verify = await admin.client.audit.verify();
    expect(verify).toMatchObject({ ok: true, firstBroken: null });
    const checkins = await admin.client.audit.list({ action: 'checkin.checkIn', page: 1, pageSize: 10 });
    expect(checkins.total).toBe(1);
    expect(checkins.rows[0]!.at).toBe(HOST_CLOCK);
  });
});
