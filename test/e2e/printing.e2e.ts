/**
 * Printing as the exam administrator does it, in Chromium against the site host (demo data: one sitting
 * of 砌筑工 with 20 candidates whose 准考证号 came with the roster): a folder printer added on 打印设置 and
 * made the default for 准考证, then on 场次与座位 生成准考证号 (the roster's numbers are kept), 预览 and
 * 打印准考证 — the PDF appears in the folder with the candidates' names and numbers in it — and one
 * candidate's ticket reprinted from the 考生 page. Then, when a
 * private CUPS with a cups-pdf queue can run (test/support/cups.ts; EXAM_SITE_SKIP_CUPS=1 skips it by
 * name), a 签到表 printed on that queue comes out of cups-pdf.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { e2eEngine, SQLITE_ONLY, startHost, type RunningHost } from './host';
import { addRoom, choose, createAdmin, createSoonSession, signIn } from './site-steps';
import { demoPeople } from '../../main/core/demo-people';
import { cupsSkipReason, startPrivateCups, type PdfQueue, type PrivateCups } from '../support/cups';

const cupsSkip = cupsSkipReason();
let host: RunningHost;
let cups: PrivateCups | undefined;
let queue: PdfQueue | undefined;
let folder: string;

test.describe.configure({ mode: 'serial' });

// Printing is the same whatever the engine (its data is covered on both by main/printing's vitest
// suites), and the CUPS half uses the machine's cups-pdf, shared with other runs: once per npm test.
test.skip(
  e2eEngine() === 'postgres',
  SQLITE_ONLY('printing does not depend on the engine; run once, on SQLite (shared cups-pdf)'),
);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'exam-site-e2e-print-'));
  if (cupsSkip === null) {
    cups = await startPrivateCups();
    queue = cups.addPdfQueue();
  }
  host = await startHost(cups ? { env: { CUPS_SERVER: cups.server } } : {});
});

test.afterAll(async () => {
  await host?.stop();
  await cups?.stop();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

test('the administrator adds and calibrates a folder printer and prints the sitting’s 准考证 into it', async ({
  page,
}) => {
  await createAdmin(page, host.url);

  // 打印设置: a folder printer, the default for 准考证.
  await page.getByRole('link', { name: '打印设置' }).click();
  await expect(page.getByRole('heading', { name: '打印设置', level: 2 })).toBeVisible();
  await page.getByLabel('文件夹路径', { exact: true }).fill(folder);
  await page.getByRole('button', { name: '添加', exact: true }).click();
  await expect(page.getByTestId(`printer-folder-${folder}`)).toBeVisible();
  await expect(page.getByTestId(`printer-folder-${folder}`)).toContainText('就绪');
  await choose(page, '准考证默认打印机', `文件夹：${folder}`);
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByText('打印设置已保存').last()).toBeVisible();

  // Calibrate it: print the 校准页, enter where its cross landed; the offset is saved for this printer.
  const row = page.getByTestId(`printer-folder-${folder}`);
  await row.getByRole('button', { name: '打印校准页' }).click();
  await expect(row.getByRole('status')).toContainText(`校准页已保存为 ${folder}/校准页-`);
  await row.getByRole('button', { name: '输入测量值' }).click();
  await row.getByLabel('距左边 (mm)').fill('21.5');
  await row.getByLabel('距上边 (mm)').fill('19');
  await row.getByRole('button', { name: '保存校准' }).click();
  await expect(row.getByRole('status')).toHaveText('已保存新的偏移：右移 -1.5 mm，下移 1 mm');
  await expect(row).toContainText('右移 -1.5 mm，下移 1 mm');
  await expect(row).toContainText('校准于');

  // A room and a session with seats, so the tickets say where to sit.
  await addRoom(page, { name: '第1考场', location: '实训楼 201', capacity: 24, columns: 4 });

  await createSoonSession(page);
  const detail = page.getByTestId('session-detail');
  await choose(page, '考场', /第1考场/);
  await page.keyboard.press('Escape');
  await detail.getByRole('button', { name: '随机安排座位' }).click();
  await expect(page.getByTestId('seating-result')).toContainText('已为 20 名考生安排座位');

  // 生成准考证号: the demo roster brought every number already, so all 20 are kept.
  const actions = page.getByTestId('session-print-actions');
  const result = page.getByTestId('print-result');
  await actions.getByRole('button', { name: '生成准考证号' }).click();
  await expect(result).toHaveText('已生成 0 个准考证号，保留已有的 20 个');

  // The default printer is preselected for 准考证; 预览 opens the PDF.
  await expect(actions.getByRole('combobox', { name: '准考证打印机', exact: true })).toHaveValue(
    `文件夹：${folder}`,
  );
  const popup = page.waitForEvent('popup');
  await actions.getByRole('button', { name: '预览准考证' }).click();
  await expect(result).toContainText('准考证预览已生成：20 条，共 20 页');
  expect((await popup).url()).toMatch(/^blob:/);
  const tickets = () => fs.readdirSync(folder).filter((f) => f.startsWith('准考证') && f.endsWith('.pdf'));
  expect(tickets()).toEqual([]);

  await actions.getByRole('button', { name: '打印准考证' }).click();
  await expect(result).toContainText(`准考证已打印到「文件夹：${folder}」，文件：`);
  const files = tickets();
  expect(files).toHaveLength(1);
  const text = pdfText(path.join(folder, files[0]!));
  // The demo sitting starts 14 days after the host seeded it; its people carry start date + sequence.
  const startDate = new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10);
  const [first, second] = demoPeople(startDate);
  for (const person of [first!, second!]) {
    expect(text).toContain(person.name);
    expect(text).toContain(person.admissionTicketNo);
  }
  expect(text).toContain('第1考场');

  // A candidate lost the ticket: on 考生, select 王芳 and 补打准考证 — one page, only hers.
  await page.getByRole('link', { name: '考生', exact: true }).click();
  await choose(page, '考试批次', /砌筑工/);
  await page.getByRole('checkbox', { name: `选择考生 ${second!.name}`, exact: true }).check();
  await page.getByRole('button', { name: '补打准考证（1 人）' }).click();
  const reprint = page.getByTestId('selected-tickets-result');
  await expect(reprint).toContainText(`准考证已打印到「文件夹：${folder}」，文件：`);
  const reprinted = tickets().filter((f) => !files.includes(f));
  expect(reprinted).toHaveLength(1);
  const one = pdfText(path.join(folder, reprinted[0]!));
  expect(one).toContain(second!.name);
  expect(one).toContain(second!.admissionTicketNo);
  expect(one).not.toContain(first!.name);
  expect(execFileSync('pdfinfo', [path.join(folder, reprinted[0]!)], { encoding: 'utf8' })).toMatch(
    /^Pages:\s+1$/m,
  );
});

test.describe(`a 签到表 on a CUPS queue${cupsSkip ? ` — ${cupsSkip}` : ''}`, () => {
  test.skip(cupsSkip !== null, cupsSkip ?? '');

  test('the 签到表 printed on the cups-pdf queue comes out of it', async ({ page }) => {
    await signIn(page, host.url);

    await page.getByRole('link', { name: '打印设置' }).click();
    await expect(page.getByTestId(`printer-cups-${queue!.name}`)).toContainText('就绪');

    await page.getByRole('link', { name: '场次与座位' }).click();
    await choose(page, '考试批次', /砌筑工/);
    await page.getByRole('link', { name: '理论知识考试' }).click();
    const actions = page.getByTestId('session-print-actions');
    await choose(page, '签到表打印机', `CUPS：${queue!.name}`);
    await actions.getByRole('button', { name: '打印签到表' }).click();
    const result = page.getByTestId('print-result');
    await expect(result).toContainText(`签到表已发送到打印机「CUPS：${queue!.name}」，作业 ${queue!.name}-`);
    const jobId = new RegExp(`作业 (${queue!.name}-\\d+)`).exec((await result.textContent()) ?? '')?.[1];
    expect(jobId).toBeTruthy();
    const printed = await queue!.waitForOutput(jobId!, 90_000);
    // 20 candidates fit one A4 page (25 rows).
    expect(execFileSync('pdfinfo', [printed], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
  });
});
