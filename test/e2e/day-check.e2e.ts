/**
 * 开考前设备自检 as the exam administrator runs it each morning on the 设备 page (demo host, simulated
 * reader, Chromium's fake camera): every line with its result, the run recorded in the audit trail, and
 * the printed checklist carrying only the checklist.
 */
import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { createAdmin } from './site-steps';

let host: RunningHost;

test.beforeAll(async () => {
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop();
});

test('the administrator runs the start-of-day check and prints the checklist', async ({ page }) => {
  await createAdmin(page, host.url);

  await page.getByRole('link', { name: '设备', exact: true }).click();
  const panel = page.getByTestId('day-check');
  await panel.getByRole('button', { name: '运行自检' }).click();
  await expect(page.getByTestId('day-check-summary')).toContainText('自检：正常');

  // By the label cell: on PostgreSQL the backup line's detail says "PostgreSQL 数据库：…", which a text
  // filter for 数据库 would match too.
  const row = (label: string) =>
    panel.getByTestId('day-check-row').filter({ has: page.getByRole('cell', { name: label, exact: true }) });
  await expect(row('身份证读卡器')).toHaveAttribute('data-status', 'ok');
  await expect(row('身份证读卡器')).toContainText('✓ 打开读卡器');
  // A fresh site has chosen no printers yet: said, not hidden.
  await expect(row('准考证打印机')).toHaveAttribute('data-status', 'warn');
  await expect(row('准考证打印机')).toContainText('未设置准考证的默认打印机');
  await expect(row('数据库')).toHaveAttribute('data-status', 'ok');
  await expect(row('审计日志')).toHaveAttribute('data-status', 'ok');
  await expect(row('审计日志')).toContainText('哈希链完整');
  await expect(row('数据备份')).toHaveAttribute('data-status', 'warn');
  await expect(row('时钟（本机与考点主机）')).toHaveAttribute('data-status', 'ok');
  await expect(row('摄像头（本机）')).toHaveAttribute('data-status', 'ok');
  await expect(row('摄像头（本机）')).toContainText('找到 1 个摄像头');

  // The run is in the audit trail.
  await page.getByRole('link', { name: '审计日志', exact: true }).click();
  await expect(page.getByRole('cell', { name: 'devices.dayCheck' }).first()).toBeVisible();

  // On paper only the checklist appears (with a line to sign), not the page around it.
  await page.getByRole('link', { name: '设备', exact: true }).click();
  await panel.getByRole('button', { name: '运行自检' }).click();
  await expect(page.getByTestId('day-check-summary')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(panel.getByRole('heading', { name: '开考前设备自检' })).toBeVisible();
  await expect(panel).toContainText('检查人：考务王老师');
  await expect(page.getByRole('heading', { name: '设备', exact: true })).toBeHidden();
  await expect(panel.getByRole('button', { name: '打印检查单' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByRole('heading', { name: '设备', exact: true })).toBeVisible();
});
