/**
 * Roster photos as the exam administrator imports them, in Chromium against the site host (demo data:
 * one sitting of 砌筑工 with 20 candidates): photo files named 姓名_身份证号, one with an ID number that is
 * not in the sitting and a text file renamed .jpg; the preview says which is which, the import stores the
 * two good ones, and the candidate list shows the photos. One photo is then removed again.
 */
import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { startHost, type RunningHost } from './host';
import { createAdmin } from './site-steps';
import { demoPeople } from '../../main/core/demo-people';

// The ID numbers of the demo people do not depend on the sitting's date.
const [ZHANG_WEI, WANG_FANG, LI_NA] = demoPeople('2026-01-01');
const UNKNOWN_ID = '110105200002290042';

let host: RunningHost;

test.beforeAll(async () => {
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop();
});

/** A small passport-style picture: a white background with a coloured block. */
function photoPng(r: number, g: number, b: number): Buffer {
  const png = new PNG({ width: 60, height: 80 });
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (png.width * y + x) << 2;
      const inside = x > 15 && x < 45 && y > 15 && y < 75;
      png.data[i] = inside ? r : 255;
      png.data[i + 1] = inside ? g : 255;
      png.data[i + 2] = inside ? b : 255;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

test('the administrator imports roster photos through the preview and sees them in the list', async ({
  page,
}) => {
  if (!ZHANG_WEI || !WANG_FANG || !LI_NA) throw new Error('demo people missing');
  await createAdmin(page, host.url);
  await page.getByRole('link', { name: '考生', exact: true }).click();
  await page.getByRole('combobox', { name: '考试批次' }).click();
  await page.getByRole('option', { name: /演示/ }).first().click();
  const zhangRow = page
    .getByRole('row')
    .filter({ hasText: ZHANG_WEI.admissionTicketNo.slice(-4) })
    .filter({
      hasText: ZHANG_WEI.name,
    });
  await expect(zhangRow).toBeVisible();
  await expect(page.getByRole('img', { name: `${ZHANG_WEI.name}的照片` })).toHaveCount(0);

  await page.getByRole('button', { name: '导入照片' }).click();
  const dialog = page.getByRole('dialog', { name: '导入照片' });
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: '照片文件' }).click();
  await (
    await chooser
  ).setFiles([
    {
      name: `${ZHANG_WEI.name}_${ZHANG_WEI.idNumber}.png`,
      mimeType: 'image/png',
      buffer: photoPng(200, 40, 40),
    },
    { name: `${WANG_FANG.idNumber}.png`, mimeType: 'image/png', buffer: photoPng(40, 40, 200) },
    { name: `某某_${UNKNOWN_ID}.png`, mimeType: 'image/png', buffer: photoPng(40, 200, 40) },
    {
      name: `${LI_NA.name}_${LI_NA.idNumber}.jpg`,
      mimeType: 'image/jpeg',
      buffer: Buffer.from('这不是照片，只是改了扩展名的文本文件。\n'),
    },
  ]);

  await expect(dialog.getByTestId('photo-import-summary')).toHaveText('可导入 2 个，拒绝 2 个');
  const fileRow = (name: string) => dialog.getByRole('row').filter({ hasText: name });
  await expect(fileRow(`${ZHANG_WEI.name}_${ZHANG_WEI.idNumber}.png`)).toContainText('可导入');
  await expect(fileRow(`${ZHANG_WEI.name}_${ZHANG_WEI.idNumber}.png`)).toContainText('文件小于 40 KB');
  await expect(fileRow(`${WANG_FANG.idNumber}.png`)).toContainText(WANG_FANG.name);
  await expect(fileRow(`${WANG_FANG.idNumber}.png`)).toContainText('可导入');
  await expect(fileRow(`某某_${UNKNOWN_ID}.png`)).toContainText('拒绝');
  await expect(fileRow(`某某_${UNKNOWN_ID}.png`)).toContainText(
    `证件号码 1101**********${UNKNOWN_ID.slice(-4)} 不在本批次考生名单中`,
  );
  await expect(fileRow(`${LI_NA.name}_${LI_NA.idNumber}.jpg`)).toContainText(
    '不是 JPEG 或 PNG 图片（按文件内容判断）',
  );
  await expect(dialog.getByText('被拒绝的文件不会导入')).toBeVisible();

  await dialog.getByRole('button', { name: '确认导入（2 个）' }).click();
  await expect(dialog.getByTestId('photo-import-done')).toHaveText('已导入 2 张照片');
  await dialog.getByRole('button', { name: '关闭' }).last().click();
  await expect(dialog).toBeHidden();

  // The list shows the photos themselves (data: URLs the page's CSP allows), and none for 李娜.
  const zhangPhoto = page.getByRole('img', { name: `${ZHANG_WEI.name}的照片` });
  await expect(zhangPhoto).toBeVisible();
  // Decoded by the browser: a broken or blocked image has no natural width.
  await expect(zhangPhoto).toHaveJSProperty('naturalWidth', 60);
  await expect(page.getByRole('img', { name: `${WANG_FANG.name}的照片` })).toBeVisible();
  await expect(page.getByRole('img', { name: `${LI_NA.name}的照片` })).toHaveCount(0);

  // One candidate's photo, opened from the list, removed again.
  await page.getByRole('button', { name: `${WANG_FANG.name}的照片` }).click();
  const photoDialog = page.getByRole('dialog', { name: `考生照片：${WANG_FANG.name}` });
  await expect(photoDialog.getByRole('img', { name: `${WANG_FANG.name}的照片` })).toBeVisible();
  await expect(photoDialog.getByRole('button', { name: '更换照片' })).toBeVisible();
  await photoDialog.getByRole('button', { name: '删除照片' }).click();
  await expect(photoDialog).toBeHidden();
  await expect(page.getByRole('img', { name: `${WANG_FANG.name}的照片` })).toHaveCount(0);
  await expect(page.getByRole('img', { name: `${ZHANG_WEI.name}的照片` })).toBeVisible();

  // Who still has no photo: 张伟 is the only one left out.
  await page.getByRole('combobox', { name: '照片', exact: true }).click();
  await page.getByRole('option', { name: '无照片' }).click();
  await expect(page.getByRole('row').filter({ hasText: WANG_FANG.name })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: ZHANG_WEI.name })).toHaveCount(0);
  await expect(page.getByRole('img', { name: /的照片$/ })).toHaveCount(0);
});
