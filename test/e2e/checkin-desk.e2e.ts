/**
 * The check-in desk as the staff use it, in Chromium against the site host (demo data: one sitting of
 * 砌筑工 with 20 candidates): rooms, a session that starts in ten minutes, random seats, the desk reading
 * cards from the (simulated) reader on the host, the refusals in red, the manual fallback with a reason,
 * and a proctor's room view filling up live in another browser.
 */
import { expect, test, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { demoPeople } from '../../main/core/demo-people';

const ADMIN = { username: 'kaowu', name: '考务王老师', password: 'Kaowu-2026!' };
const PROCTOR = { username: 'jiankao1', name: '监考李老师', password: 'Jiankao-2026!' };

let host: RunningHost;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop();
});

async function signIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.goto(host.url);
  await page.getByLabel('用户名', { exact: true }).fill(user.username);
  await page.getByLabel('密码', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user-name')).toBeVisible();
}

async function choose(page: Page, combobox: string, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: combobox, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const localTime = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** Lay a card on the simulated reader attached to the host, then take it off again. */
async function layCard(
  page: Page,
  card: { name: string; idNumber: string; validUntil?: string },
): Promise<void> {
  const sim = page.getByTestId('reader-simulator');
  await sim.getByLabel('姓名', { exact: true }).fill(card.name);
  await sim.getByLabel('证件号码', { exact: true }).fill(card.idNumber);
  if (card.validUntil) await sim.getByLabel('有效期至', { exact: true }).fill(card.validUntil);
  const seq = Number((await page.getByTestId('checkin-result').getAttribute('data-seq')) ?? '0');
  await sim.getByRole('button', { name: '放卡' }).click();
  await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-seq', String(seq + 1), {
    timeout: 15_000,
  });
  await sim.getByRole('button', { name: '取卡' }).click();
  // The card must leave the field before the reader will read the next one (devices.md §1.7).
  await expect(page.getByTestId('reader-status')).toContainText('请将身份证放在读卡器上', {
    timeout: 15_000,
  });
}

test('the administrator prepares rooms, a session, seats and a proctor', async ({ page }) => {
  await page.goto(host.url);
  await page.getByLabel('用户名', { exact: true }).fill(ADMIN.username);
  await page.getByLabel('姓名', { exact: true }).fill(ADMIN.name);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('确认密码', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: '创建并登录' }).click();
  await expect(page.getByTestId('current-user-name')).toHaveText(ADMIN.name);

  await page.getByRole('link', { name: '用户管理' }).click();
  await page.getByRole('button', { name: '新建用户' }).click();
  const userDialog = page.getByRole('dialog');
  await userDialog.getByLabel('用户名', { exact: true }).fill(PROCTOR.username);
  await userDialog.getByLabel('姓名', { exact: true }).fill(PROCTOR.name);
  await userDialog.getByLabel('初始密码', { exact: true }).fill(PROCTOR.password);
  await userDialog.getByLabel('监考', { exact: true }).check();
  await userDialog.getByRole('button', { name: '创建用户' }).click();
  await expect(page.getByRole('cell', { name: PROCTOR.name, exact: true })).toBeVisible();

  await page.getByRole('link', { name: '考场管理' }).click();
  for (const name of ['第1考场', '第2考场']) {
    await page.getByRole('button', { name: '新建考场' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('考场名称', { exact: true }).fill(name);
    await dialog.getByLabel('位置', { exact: true }).fill('实训楼');
    await dialog.getByLabel('座位数', { exact: true }).fill('12');
    await dialog.getByLabel('每排座位数', { exact: true }).fill('4');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  }

  await page.getByRole('link', { name: '场次与座位' }).click();
  await choose(page, '考试批次', /砌筑工/);
  await page.getByRole('button', { name: '新建场次' }).click();
  const dialog = page.getByRole('dialog');
  const start = new Date(Date.now() + 10 * 60_000);
  const end = new Date(Math.min(start.getTime() + 2 * 3600_000, new Date(start).setHours(23, 59, 0, 0)));
  await dialog.getByLabel('场次名称', { exact: true }).fill('理论知识考试');
  await choose(page, '考核项目', '理论知识考试');
  await dialog.getByLabel('考试日期', { exact: true }).fill(localDate(start));
  await dialog.getByLabel('开始时间', { exact: true }).fill(localTime(start));
  await dialog.getByLabel('结束时间', { exact: true }).fill(localTime(end));
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('场次已保存')).toBeVisible();

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
  await signIn(page, ADMIN);
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
  await signIn(proctor, PROCTOR);
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
