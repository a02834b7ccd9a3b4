/**
 * The check-in desk as the staff use it, in Chromium against the site host (demo data: one sitting of
 * 砌筑工 with 20 candidates): rooms, a session that starts in ten minutes, random seats, the desk reading
 * cards from the (simulated) reader on the host, the refusals in red, the manual fallback with a reason,
 * and a proctor's room view filling up live in another browser.
 */
import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { addRoom, ADMIN, choose, createAdmin, createSoonSession, layCard, signIn } from './site-steps';
import { demoPeople } from '../../main/core/demo-people';

const PROCTOR = { username: 'jiankao1', name: '监考李老师', password: 'Jiankao-2026!' };

let host: RunningHost;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop();
});

test('the administrator prepares rooms, a session, seats and a proctor', async ({ page }) => {
  await createAdmin(page, host.url);

  await page.getByRole('link', { name: '用户管理' }).click();
  await page.getByRole('button', { name: '新建用户' }).click();
  const userDialog = page.getByRole('dialog');
  await userDialog.getByLabel('用户名', { exact: true }).fill(PROCTOR.username);
  await userDialog.getByLabel('姓名', { exact: true }).fill(PROCTOR.name);
  await userDialog.getByLabel('初始密码', { exact: true }).fill(PROCTOR.password);
  await userDialog.getByLabel('监考', { exact: true }).check();
  await userDialog.getByRole('button', { name: '创建用户' }).click();
  await expect(page.getByRole('cell', { name: PROCTOR.name, exact: true })).toBeVisible();

  for (const name of ['第1考场', '第2考场']) {
    await addRoom(page, { name, location: '实训楼', capacity: 12, columns: 4 });
  }

  await createSoonSession(page);

  const detail = page.getByTestId('session-detail');
  await choose(page, '考场', /第1考场/);
  await choose(page, '考场', /第2考场/);
  await page.keyboard.press('Escape');
  await detail.getByLabel('同单位考生不相邻').check();
  await detail.getByRole('button', { name: '随机安排座位' }).click();
  await expect(page.getByTestId('seating-result')).toContainText('已为 20 名考生安排座位');
  await expect(page.getByTestId('staffing-第1考场')).toHaveAttribute('data-status', 'violations');
  // One proctor is short in room 1: the supervisor's override lets its desk check people in.
  await page.getByTestId('plan-第1考场').getByRole('button', { name: '特批' }).click();
  const override = page.getByRole('dialog');
  await override.getByLabel('特批原因').fill('第二名监考人员在途，督导员同意先开始签到');
  await override.getByRole('button', { name: '确认特批' }).click();
  await expect(page.getByTestId('staffing-第1考场')).toHaveAttribute('data-status', 'override');
});

test('cards laid on the reader check candidates in, or say in red what is wrong', async ({
  page,
  browser,
}) => {
  await signIn(page, host.url, ADMIN);
  // The demo sitting's people, with the ID numbers their cards carry.
  const people = demoPeople('2000-01-01');
  await page.getByRole('link', { name: '签到台' }).click();
  await choose(page, '考试批次', /砌筑工/);
  await choose(page, '场次', /理论知识考试/);
  await choose(page, '考场', '第1考场');
  await expect(page.getByTestId('checkin-desk')).toBeVisible();
  await expect(page.getByTestId('reader-status')).toContainText('请将身份证放在读卡器上', {
    timeout: 20_000,
  });

  // A proctor watches the rooms fill up from another browser.
  const proctorContext = await browser.newContext();
  const proctor = await proctorContext.newPage();
  await signIn(proctor, host.url, PROCTOR);
  await proctor.getByRole('link', { name: '考场签到情况' }).click();
  await choose(proctor, '考试批次', /砌筑工/);
  await choose(proctor, '场次', /理论知识考试/);
  await expect(proctor.getByTestId('progress-第1考场')).toHaveText('应到 12 已到 0 未到 12');

  // Find who sits in room 1 and who in room 2, through the manual search (masked IDs only on screen).
  const seatOf = async (name: string) => {
    await page.getByLabel('查找考生').fill(name);
    const row = page.getByTestId('checkin-search-results').getByRole('row', { name: new RegExp(name) });
    const text = (await row.textContent()) ?? '';
    return text.includes('第1考场') ? 1 : 2;
  };
  const inRoom1: typeof people = [];
  const inRoom2: typeof people = [];
  for (const p of people.slice(0, 8)) ((await seatOf(p.name)) === 1 ? inRoom1 : inRoom2).push(p);
  expect(inRoom1.length).toBeGreaterThanOrEqual(2);
  expect(inRoom2.length).toBeGreaterThanOrEqual(1);
  const [first, second] = inRoom1 as [(typeof people)[number], (typeof people)[number]];
  const elsewhere = inRoom2[0]!;

  // Not on the roster at all.
  await layCard(page, { name: '路人甲', idNumber: '11010519491231002X' });
  await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'refused');
  await expect(page.getByTestId('checkin-result-message')).toHaveText('不在本批次考生名单中');

  // The right person at the right desk: green, with the seat.
  await layCard(page, { name: first.name, idNumber: first.idNumber });
  await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('checkin-result-name')).toHaveText(first.name);
  await expect(page.getByTestId('checkin-result-seat')).toContainText('第1考场');
  await expect(proctor.getByTestId('progress-第1考场')).toHaveText('应到 12 已到 1 未到 11');

  // The same card again.
  await layCard(page, { name: first.name, idNumber: first.idNumber });
  await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'refused');
  await expect(page.getByTestId('checkin-result-message')).toContainText('已于');

  // Someone seated in the other room.
  await layCard(page, { name: elsewhere.name, idNumber: elsewhere.idNumber });
  await expect(page.getByTestId('checkin-result-message')).toContainText('的考场是 第2考场');

  // An expired card.
  await layCard(page, { name: second.name, idNumber: second.idNumber, validUntil: '2020-01-01' });
  await expect(page.getByTestId('checkin-result-message')).toContainText('身份证件已过期');

  // The manual fallback needs a reason and is marked as such.
  await page.getByLabel('查找考生').fill(second.name);
  await page
    .getByTestId('checkin-search-results')
    .getByRole('row', { name: new RegExp(second.name) })
    .getByRole('button', { name: '签到' })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('准考证扫码').check();
  await dialog.getByLabel('原因', { exact: true }).fill('身份证过期，凭准考证和临时身份证明入场');
  await dialog.getByRole('button', { name: '确认签到' }).click();
  await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('checkin-result-name')).toHaveText(second.name);
  await expect(proctor.getByTestId('progress-第1考场')).toHaveText('应到 12 已到 2 未到 10');
  await proctorContext.close();
});
