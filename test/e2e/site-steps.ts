/**
 * What the people at the site do again and again in the end-to-end specs: create the first administrator,
 * sign in, pick from a Mantine select, add a room, plan a session that starts soon, lay a card on the
 * simulated reader. Only @playwright/test and plain TypeScript modules are imported (the Playwright loader
 * cannot import JSON modules).
 */
import { expect, type Page } from '@playwright/test';
import { DEFAULT_TIME_ZONE, siteDate, siteHhmm, siteWallTimeToIso } from '../../shared/domain/site-time';

export const ADMIN = { username: 'kaowu', name: '考务王老师', password: 'Kaowu-2026!' };

/** First run: the site's first administrator, signed in. */
export async function createAdmin(page: Page, url: string, admin = ADMIN): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名', { exact: true }).fill(admin.username);
  await page.getByLabel('姓名', { exact: true }).fill(admin.name);
  await page.getByLabel('密码', { exact: true }).fill(admin.password);
  await page.getByLabel('确认密码', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: '创建并登录' }).click();
  await expect(page.getByTestId('current-user-name')).toHaveText(admin.name);
}

export async function signIn(
  page: Page,
  url: string,
  user: { username: string; password: string } = ADMIN,
): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名', { exact: true }).fill(user.username);
  await page.getByLabel('密码', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user-name')).toBeVisible();
}

/** Pick an option of a select (a combobox named by its label). */
export async function choose(page: Page, combobox: string, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: combobox, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** 考场管理 → 新建考场. */
export async function addRoom(
  page: Page,
  room: { name: string; location: string; capacity: number; columns: number },
): Promise<void> {
  await page.getByRole('link', { name: '考场管理' }).click();
  await page.getByRole('button', { name: '新建考场' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('考场名称', { exact: true }).fill(room.name);
  await dialog.getByLabel('位置', { exact: true }).fill(room.location);
  await dialog.getByLabel('座位数', { exact: true }).fill(String(room.capacity));
  await dialog.getByLabel('每排座位数', { exact: true }).fill(String(room.columns));
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('cell', { name: room.name, exact: true })).toBeVisible();
}

/**
 * 场次与座位: a 理论知识考试 of the demo sitting starting in ten minutes (check-in is open), ending two
 * hours later or at 23:59, whichever comes first; the session's detail is left open. The form takes the
 * site's wall clock (default Asia/Shanghai), whatever zone the browser runs in. Returns the start and end
 * as typed.
 */
export async function createSoonSession(
  page: Page,
  timeZone: string = DEFAULT_TIME_ZONE,
): Promise<{ date: string; start: string; end: string }> {
  await page.getByRole('link', { name: '场次与座位' }).click();
  await choose(page, '考试批次', /砌筑工/);
  await page.getByRole('button', { name: '新建场次' }).click();
  const dialog = page.getByRole('dialog');
  const start = new Date(Date.now() + 10 * 60_000);
  const date = siteDate(start, timeZone);
  const endOfDay = Date.parse(siteWallTimeToIso(date, '23:59', timeZone));
  const end = new Date(Math.min(start.getTime() + 2 * 3600_000, endOfDay));
  const typed = { date, start: siteHhmm(start, timeZone), end: siteHhmm(end, timeZone) };
  await dialog.getByLabel('场次名称', { exact: true }).fill('理论知识考试');
  await choose(page, '考核项目', '理论知识考试');
  await dialog.getByLabel('考试日期', { exact: true }).fill(typed.date);
  await dialog.getByLabel('开始时间', { exact: true }).fill(typed.start);
  await dialog.getByLabel('结束时间', { exact: true }).fill(typed.end);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('场次已保存')).toBeVisible();
  return typed;
}

/** Lay a card on the simulated reader attached to the host, wait for the result, take it off again. */
export async function layCard(
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
