/**
 * The check-in desk's photos, re-entry verification, ticket scans and staffing rule, in Chromium with its
 * fake camera (playwright.config.ts) against the site host with demo data (20 candidates of 砌筑工, all
 * seated in one room here): a room short of proctors checks nobody in until a supervisor's override;
 * then a card laid on the reader checks the candidate in and the desk takes and stores a live photo
 * (and a retake); in 再次入场复核 mode the card re-verifies with the check-in's photo beside the new one;
 * a scanned admission ticket needs a reason and is marked as manual. A desk opened over plain http from
 * another PC (the LAN address) gets no camera from the browser and says so.
 */
import os from 'node:os';
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { addRoom, choose, createAdmin, createSoonSession, layCard, signIn } from './site-steps';
import { demoPeople } from '../../main/core/demo-people';

let host: RunningHost;

test.describe.configure({ mode: 'serial' });

/** This machine's first LAN address, to open the site as another PC on the network would; null if none. */
const lanAddress =
  Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i?.family === 'IPv4' && !i.internal)?.address ?? null;

test.beforeAll(async () => {
  // Listening on the LAN too, as a site with several desks does (the last test opens it by the LAN address).
  host = await startHost({ listen: '0.0.0.0' });
});

test.afterAll(async () => {
  await host?.stop();
});

/** Open the desk of 第1考场 (a fresh browser has no remembered choice; a used one reopens on it). */
async function openDesk(page: Page): Promise<void> {
  await page.getByRole('link', { name: '签到台' }).click();
  if ((await page.getByTestId('checkin-desk').count()) === 0) {
    await choose(page, '考试批次', /砌筑工/);
    await choose(page, '场次', /理论知识考试/);
    await choose(page, '考场', '第1考场');
  }
  await expect(page.getByTestId('checkin-desk')).toBeVisible();
  await expect(page.getByTestId('reader-status')).toContainText('请将身份证放在读卡器上', {
    timeout: 20_000,
  });
}

const people = demoPeople('2000-01-01');

test('a room short of proctors checks nobody in until a supervisor records an override', async ({ page }) => {
  await createAdmin(page, host.url);

  await addRoom(page, { name: '第1考场', location: '实训楼', capacity: 24, columns: 6 });

  await createSoonSession(page);
  const detail = page.getByTestId('session-detail');
  await choose(page, '考场', /第1考场/);
  await page.keyboard.press('Escape');
  await detail.getByRole('button', { name: '随机安排座位' }).click();
  await expect(page.getByTestId('seating-result')).toContainText('已为 20 名考生安排座位');

  // The desk of the room without proctors: it says so, and a card is refused naming the rule.
  await page.getByRole('link', { name: '签到台' }).click();
  await choose(page, '考试批次', /砌筑工/);
  await choose(page, '场次', /理论知识考试/);
  await choose(page, '考场', '第1考场');
  await expect(page.getByTestId('reader-status')).toContainText('请将身份证放在读卡器上', {
    timeout: 20_000,
  });
  await expect(page.getByTestId('desk-staffing')).toContainText('本考场人员配比不符合要求，暂不能签到');
  await expect(page.getByTestId('desk-staffing')).toContainText('每个考场至少 2 名监考人员，现有 0 名');
  const first = people[0]!;
  await layCard(page, first);
  await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'refused');
  await expect(page.getByTestId('checkin-result-message')).toHaveAttribute('data-code', 'room_staffing');
  await expect(page.getByTestId('checkin-result-message')).toContainText(
    '第1考场 人员配比不符合要求（每个考场至少 2 名监考人员，现有 0 名',
  );
  await expect(page.getByTestId('checkin-result-message')).toContainText('在「场次与座位」为本考场特批');
  // The candidate list stays usable at a blocked desk.
  await page.getByLabel('查找考生').fill(first.name);
  await expect(
    page.getByTestId('checkin-search-results').getByRole('row', { name: new RegExp(first.name) }),
  ).toContainText('第1考场');

  // The override on 场次与座位; back at the desk (it reopens on the same room) the warning is gone.
  await page.getByRole('link', { name: '场次与座位' }).click();
  await choose(page, '考试批次', /砌筑工/);
  await page.getByRole('link', { name: '理论知识考试' }).click();
  await page.getByTestId('plan-第1考场').getByRole('button', { name: '特批' }).click();
  const override = page.getByRole('dialog');
  await override.getByLabel('特批原因').fill('两名监考人员在途，督导员同意先开始签到');
  await override.getByRole('button', { name: '确认特批' }).click();
  await expect(page.getByTestId('staffing-第1考场')).toHaveAttribute('data-status', 'override');
  await openDesk(page);
  await expect(page.getByTestId('desk-title')).toContainText('第1考场');
  await expect(page.getByTestId('desk-staffing')).toHaveCount(0);
});

test('a card checks the candidate in and the desk stores a live webcam photo, with a retake', async ({
  page,
}) => {
  await signIn(page, host.url);
  await openDesk(page);
  await expect(page.getByTestId('camera-panel')).toHaveAttribute('data-status', 'on', { timeout: 15_000 });
  const first = people[0]!;
  await layCard(page, first);
  const result = page.getByTestId('checkin-result');
  await expect(result).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('checkin-result-name')).toHaveText(first.name);
  await expect(page.getByTestId('checkin-result-seat')).toContainText('第1考场');
  // The demo roster has no photos, and the simulated reader has no chip-photo decoder: said plainly.
  await expect(result.getByTestId('photo-roster')).toContainText('名册无照片');
  await expect(result.getByTestId('photo-card')).toContainText('读卡器未提供证件照片');
  // The live photo is taken by itself, stored, and shown from the store.
  const live = result.getByTestId('photo-live');
  await expect(live).toHaveAttribute('data-state', 'loaded', { timeout: 15_000 });
  await expect(live.getByRole('img', { name: '现场照片' })).toHaveAttribute(
    'src',
    /^data:image\/jpeg;base64,/,
  );
  const firstPhoto = await live.getAttribute('data-photo-id');
  expect(Number(firstPhoto)).toBeGreaterThan(0);

  await live.getByRole('button', { name: '重拍' }).click();
  await expect(live).not.toHaveAttribute('data-photo-id', firstPhoto!, { timeout: 15_000 });
  await expect(live).toHaveAttribute('data-state', 'loaded');
  expect(Number(await live.getAttribute('data-photo-id'))).toBeGreaterThan(Number(firstPhoto));
});

test('in 再次入场复核 mode a card re-verifies with the check-in photo beside a new one', async ({ page }) => {
  await signIn(page, host.url);
  await openDesk(page);
  await expect(page.getByTestId('camera-panel')).toHaveAttribute('data-status', 'on', { timeout: 15_000 });
  await page.getByTestId('desk-mode').getByText('再次入场复核').click();
  await expect(page.getByText('复核模式：为已签到、再次入场的考生核验身份')).toBeVisible();
  await expect(page.getByTestId('reader-status')).toContainText('请将身份证放在读卡器上', {
    timeout: 20_000,
  });

  // Someone who never checked in.
  const second = people[1]!;
  await layCard(page, second);
  const result = page.getByTestId('checkin-result');
  await expect(result).toHaveAttribute('data-status', 'refused');
  await expect(result).toContainText('复核未通过');
  await expect(page.getByTestId('checkin-result-message')).toHaveText(`${second.name} 未签到，请先签到`);

  // The candidate checked in before comes back in.
  const first = people[0]!;
  await layCard(page, first);
  await expect(result).toHaveAttribute('data-status', 'ok');
  await expect(result).toHaveAttribute('data-kind', 'reverify');
  await expect(result).toContainText('复核通过');
  await expect(page.getByTestId('checkin-result-name')).toHaveText(first.name);
  await expect(page.getByTestId('checkin-result-checked-in-at')).toContainText('刷身份证');
  await expect(result.getByTestId('photo-checkin')).toHaveAttribute('data-state', 'loaded');
  await expect(result.getByTestId('photo-live')).toHaveAttribute('data-state', 'loaded', { timeout: 15_000 });
  const checkinPhoto = await result.getByTestId('photo-checkin').getAttribute('data-photo-id');
  await expect(result.getByTestId('photo-live')).not.toHaveAttribute('data-photo-id', checkinPhoto!);
  await expect(result.getByTestId('verification-item')).toHaveCount(1);
  await expect(result.getByTestId('verification-history')).toContainText('入场复核记录（1 次）');
});

test('a scanned admission ticket needs a reason, is marked as manual, and works for re-entry too', async ({
  page,
}) => {
  await signIn(page, host.url);
  await openDesk(page);
  const scan = page.getByLabel('扫描准考证');
  const result = page.getByTestId('checkin-result');

  await scan.fill('20009999');
  await scan.press('Enter');
  await expect(result).toHaveAttribute('data-status', 'refused');
  await expect(page.getByTestId('checkin-result-message')).toHaveText(
    '准考证号 20009999 不在本批次考生名单中',
  );

  // The ticket number as printed (read from the search list: the demo numbers follow the sitting's date).
  const third = people[2]!;
  await page.getByLabel('查找考生').fill(third.name);
  const row = page.getByTestId('checkin-search-results').getByRole('row', { name: new RegExp(third.name) });
  const ticketNo = ((await row.getByRole('cell').nth(2).textContent()) ?? '').trim();
  expect(ticketNo).toHaveLength(12);
  await scan.fill(ticketNo);
  await scan.press('Enter');
  const dialog = page.getByRole('dialog', { name: `人工签到：${third.name}` });
  await expect(dialog).toBeVisible();
  // No reason: refused with a clear message.
  await dialog.getByRole('button', { name: '确认签到' }).click();
  await expect(dialog.getByText('请填写人工签到的原因')).toBeVisible();
  await dialog.getByRole('button', { name: '身份证无法读取' }).click();
  await expect(dialog.getByLabel('原因', { exact: true })).toHaveValue('身份证无法读取');
  await dialog.getByRole('button', { name: '确认签到' }).click();
  await expect(dialog).toBeHidden();
  await expect(result).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('checkin-result-name')).toHaveText(third.name);
  await expect(page.getByTestId('checkin-manual-badge')).toHaveText('人工签到（准考证扫码）');
  await expect(scan).toHaveValue('');

  // Back from a break without the card: the ticket again, in 复核 mode.
  await page.getByTestId('desk-mode').getByText('再次入场复核').click();
  await scan.fill(ticketNo);
  await scan.press('Enter');
  const again = page.getByRole('dialog', { name: `再次入场复核：${third.name}` });
  await again.getByRole('button', { name: '未带身份证' }).click();
  await again.getByRole('button', { name: '确认复核' }).click();
  await expect(result).toHaveAttribute('data-kind', 'reverify');
  await expect(result).toHaveAttribute('data-status', 'ok');
  await expect(result.getByTestId('verification-item')).toHaveCount(1);
  await expect(result.getByTestId('verification-item')).toContainText('准考证扫码');
  await expect(result.getByTestId('verification-item')).toContainText('未带身份证');
  await expect(page.getByTestId('checkin-manual-badge')).toHaveText('人工签到（准考证扫码）');
});

test('a desk opened over plain http by the LAN address says the browser allows no camera there', async ({
  page,
}) => {
  test.skip(lanAddress === null, 'this machine has no LAN (non-loopback IPv4) address');
  const url = new URL(host.url);
  url.hostname = lanAddress!;
  await signIn(page, url.href);
  await openDesk(page);
  const camera = page.getByTestId('camera-panel');
  await expect(camera).toHaveAttribute('data-status', 'insecure');
  await expect(camera).toContainText('此页面经 http 从其他电脑打开，浏览器不允许使用摄像头');
  // The desk itself works: a card still checks in (without a live photo).
  const person = people[5]!;
  await layCard(page, person);
  await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('checkin-result-name')).toHaveText(person.name);
});
