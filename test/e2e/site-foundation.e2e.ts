/**
 * The foundation workflow as the people at the site do it, in Chromium against `npm run serve` on a fresh
 * data folder: the administrator's first run, sign-in, a new sitting, a messy roster imported through the
 * preview, the rejected rows downloaded, the candidate list, and a proctor who may read but not manage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';

interface Storage {
  getItem(key: string): string | null;
}
import { e2eEngine, SQLITE_ONLY, startHost, type RunningHost } from './host';
import { MESSY_ROSTER_EXPECTED, makeMessyRosterXlsx } from '../fixtures/roster/make-roster';

const ADMIN = { username: 'kaowu', name: '考务王老师', password: 'Kaowu-2026!' };
const PROCTOR = { username: 'jiankao1', name: '监考李老师', password: 'Jiankao-2026!' };
const SITTING_NAME = '2026年第二批 砌筑工 等级认定';

let host: RunningHost;
let rosterFile: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startHost();
  rosterFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-roster-')), '花名册-第二批.xlsx');
  fs.writeFileSync(rosterFile, await makeMessyRosterXlsx());
});

test.afterAll(async () => {
  await host?.stop();
});

async function signIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.goto(host.url);
  await page.getByLabel('用户名', { exact: true }).fill(user.username);
  await page.getByLabel('密码', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
}

async function pickDay(page: Page, field: string, day: number): Promise<void> {
  await page.getByRole('button', { name: field }).click();
  const cell = page.locator('table button:not([data-outside])').filter({ hasText: new RegExp(`^${day}$`) });
  await cell.first().click();
}

test('the administrator sets up the site on first run', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: '首次使用：创建考点管理员' })).toBeVisible();
  await page.getByLabel('用户名', { exact: true }).fill(ADMIN.username);
  await page.getByLabel('姓名', { exact: true }).fill(ADMIN.name);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('确认密码', { exact: true }).fill('something-else');
  await page.getByRole('button', { name: '创建并登录' }).click();
  await expect(page.getByText('两次输入的密码不一致')).toBeVisible();
  await page.getByLabel('确认密码', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: '创建并登录' }).click();
  // Signed in, and taken to the organisation settings.
  await expect(page.getByTestId('current-user-name')).toHaveText(ADMIN.name);
  await expect(page.getByRole('heading', { name: '机构设置' })).toBeVisible();
  await page.getByLabel('机构名称（与备案一致）').fill('示范市建筑业职业技能等级认定中心');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('机构设置已保存')).toBeVisible();
});

test('a wrong password is refused with a clear message, the right one signs in', async ({ page }) => {
  await signIn(page, { username: ADMIN.username, password: 'wrong-password' });
  await expect(page.getByText('用户名或密码错误')).toBeVisible();
  await expect(page.getByTestId('current-user-name')).toHaveCount(0);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user-name')).toHaveText(ADMIN.name);
});

test('the administrator creates a proctor account', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: '用户管理' }).click();
  await page.getByRole('button', { name: '新建用户' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名', { exact: true }).fill(PROCTOR.username);
  await dialog.getByLabel('姓名', { exact: true }).fill(PROCTOR.name);
  await dialog.getByLabel('初始密码', { exact: true }).fill(PROCTOR.password);
  await dialog.getByLabel('监考', { exact: true }).check();
  await dialog.getByRole('button', { name: '创建用户' }).click();
  await expect(page.getByRole('cell', { name: PROCTOR.name, exact: true })).toBeVisible();
});

test('the administrator creates a sitting for three levels', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: '考试批次' }).click();
  await page.getByRole('button', { name: '新建批次' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('批次名称', { exact: true }).fill(SITTING_NAME);
  await dialog.getByRole('combobox', { name: '职业' }).click();
  await page.getByRole('option', { name: /砌筑工/ }).click();
  const levels = dialog.getByRole('combobox', { name: '等级' });
  for (const level of ['三级/高级工', '四级/中级工', '五级/初级工']) {
    await levels.click();
    await page.getByRole('option', { name: level }).click();
  }
  await page.keyboard.press('Escape');
  await pickDay(page, '开始日期', 24);
  await pickDay(page, '结束日期', 25);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('考试批次已保存')).toBeVisible();
  await expect(page.getByRole('cell', { name: SITTING_NAME })).toBeVisible();
});

test('a messy roster is previewed row by row, the rejected rows download, and the accepted rows import', async ({
  page,
}) => {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: '名册导入' }).click();
  await page.getByRole('combobox', { name: '考试批次' }).click();
  await page.getByRole('option', { name: new RegExp(SITTING_NAME) }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: '名册文件' }).click();
  await (await chooser).setFiles(rosterFile);

  const e = MESSY_ROSTER_EXPECTED;
  await expect(page.getByTestId('roster-counts')).toHaveText(
    `共 ${e.dataRows} 行，可导入 ${e.ok + e.warning} 行（其中 ${e.warning} 行有提示），拒绝 ${e.rejected} 行`,
  );
  // 12 rows: 3 ok, 3 with remarks, 6 rejected — each with its reason on screen.
  expect([e.dataRows, e.ok, e.warning, e.rejected]).toEqual([12, 3, 3, 6]);
  await expect(page.getByText('表头在第 3 行')).toBeVisible();
  const rowOf = (n: number) =>
    page.getByRole('row').filter({ has: page.getByRole('cell', { name: String(n), exact: true }) });
  await expect(rowOf(8)).toContainText('拒绝');
  await expect(rowOf(8)).toContainText('校验位错误：应为 X，实为 1');
  await expect(rowOf(9)).toContainText('与第 4 行重复');
  await expect(rowOf(10)).toContainText('数字');
  await expect(rowOf(6)).toContainText('有提示');
  await expect(rowOf(6)).toContainText('全角');
  await expect(rowOf(7)).toContainText('小写');
  await expect(rowOf(11)).toContainText('15 位');
  await expect(rowOf(13)).toContainText('性别');
  await expect(rowOf(14)).toContainText('本场次不设一级/高级技师');
  // 黄 明's 15-digit number converts to 赵磊's 18-digit one: caught as a duplicate, not imported twice.
  await expect(rowOf(16)).toContainText('与第 7 行重复');

  // Download the rejected rows: a spreadsheet with the original columns and a reason column.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: '下载被拒绝的行' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('花名册-第二批-被拒绝的行.xlsx');
  const saved = path.join(path.dirname(rosterFile), 'rejected.xlsx');
  await download.saveAs(saved);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(saved);
  const sheet = wb.worksheets[0]!;
  const headerTexts = (sheet.getRow(1).values as unknown[]).map((v) => (typeof v === 'string' ? v : ''));
  expect(headerTexts).toContain('错误原因');
  expect(sheet.actualRowCount - 1).toBe(e.rejected);

  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByTestId('roster-imported')).toContainText(`已导入 ${e.ok + e.warning} 名考生`);
});

test('the candidate list shows the imported people with masked ID numbers', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: '考生' }).click();
  await page.getByRole('combobox', { name: '考试批次' }).click();
  await page.getByRole('option', { name: new RegExp(SITTING_NAME) }).click();
  const wangFang = page.getByRole('row').filter({ hasText: '王芳' });
  await expect(wangFang).toContainText('1101**********002X');
  await expect(page.getByText('11010519491231002X')).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: '赵磊' })).toContainText('3405**********001X');
  // Search by the last four characters of an ID number.
  await page.getByLabel('搜索').fill('001X');
  await expect(page.getByRole('row').filter({ hasText: '赵磊' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: '王芳' })).toHaveCount(0);
});

test('a proctor on another browser sees the roster but cannot manage users, in the UI or over HTTP', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, PROCTOR);
  await expect(page.getByTestId('current-user-roles')).toContainText('监考');
  await expect(page.getByRole('link', { name: '用户管理' })).toHaveCount(0);
  await page.getByRole('link', { name: '考生' }).click();
  await page.getByRole('combobox', { name: '考试批次' }).click();
  await page.getByRole('option', { name: new RegExp(SITTING_NAME) }).click();
  await expect(page.getByRole('row').filter({ hasText: '王芳' })).toContainText('1101**********002X');

  await page.goto(`${host.url}/#/users`);
  await expect(page.getByTestId('forbidden')).toContainText('无权访问此页面');

  // The server refuses the administrator's procedures to the proctor's session whatever the UI shows.
  // (The test runs in Node, where the page's sessionStorage is not typed.)
  const token = await page.evaluate(() =>
    (globalThis as unknown as { sessionStorage: Storage }).sessionStorage.getItem('exam-site.session'),
  );
  expect(token).toBeTruthy();
  const res = await page.request.post(`${host.url}/rpc/users/create`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    data: {
      json: { username: 'intruder', displayName: '入侵者', password: 'intruder-123', roles: ['exam_admin'] },
    },
  });
  expect(res.status()).toBe(403);
  const body = (await res.json()) as { json: { code: string; message: string } };
  expect(body.json.code).toBe('FORBIDDEN');
  expect(body.json.message).toBe('您的角色无权执行此操作');
  await context.close();
});

test('the audit page lists what happened and verifies the chain', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: '审计日志' }).click();
  await expect(page.getByRole('cell', { name: 'roster.commit', exact: true })).toBeVisible();
  await page.getByRole('button', { name: '校验审计链' }).click();
  await expect(page.getByTestId('audit-verify-result')).toContainText(/审计链完整，共 \d+ 条/);
});

test('the administrator backs up the database from the system page', async ({ page }) => {
  test.skip(
    e2eEngine() === 'postgres',
    SQLITE_ONLY('backups are SQLite files (VACUUM INTO); on PostgreSQL the site uses pg_dump'),
  );
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: '系统与备份' }).click();
  await expect(page.getByTestId('system-info')).toContainText('SQLite');
  await expect(page.getByText('还没有备份。')).toBeVisible();
  await page.getByRole('button', { name: '立即备份' }).click();
  await expect(page.getByText(/已备份：exam-site-\d{8}T\d{9}Z\.sqlite（完整性检查：ok）/)).toBeVisible();
  await expect(page.getByTestId('backup-list').getByRole('row')).toHaveCount(2);
  const backups = fs.readdirSync(path.join(host.dataDir, 'backups'));
  expect(backups).toHaveLength(1);
});

test('the administrator sets the update server from the system page', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: '系统与备份' }).click();
  // The page names the engine the host really runs on (the PostgreSQL run is not SQLite in disguise).
  await expect(page.getByTestId('system-info')).toContainText(
    e2eEngine() === 'postgres' ? 'PostgreSQL（数据库服务器）' : 'SQLite（本机文件）',
  );
  await page.getByLabel('更新服务器地址').fill('ftp://updates');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('更新服务器地址应以 http:// 或 https:// 开头')).toBeVisible();
  await page.getByLabel('更新服务器地址').fill('https://updates.site.lan/exam-site/');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
});
