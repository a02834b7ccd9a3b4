/**
 * A browser whose clock runs in another zone than the site's (here New York; the site keeps its default,
 * Asia/Shanghai) still takes and shows the site's times: the session typed in the form is the site's wall
 * clock, and the sessions list, the check-in desk and its result say the same times. After the
 * administrator changes the site's zone on 系统与备份, the screens show times in the new zone.
 */
import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { addRoom, ADMIN, choose, createAdmin, createSoonSession, layCard, signIn } from './site-steps';
import { demoPeople } from '../../main/core/demo-people';
import { siteDateTime, siteHhmmss, siteWallTimeToIso } from '../../shared/domain/site-time';

/** The session as typed in the first test (the specs run in order). */
let typed: { date: string; start: string; end: string };

const SITE_ZONE = 'Asia/Shanghai';
const BROWSER_ZONE = 'America/New_York';

let host: RunningHost;

test.use({ timezoneId: BROWSER_ZONE });
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop();
});

test('a browser in New York shows and takes the site’s (Shanghai) times', async ({ page }) => {
  await createAdmin(page, host.url);
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(BROWSER_ZONE);

  await addRoom(page, { name: '第1考场', location: '实训楼', capacity: 24, columns: 6 });
  typed = await createSoonSession(page, SITE_ZONE);

  // The list and the detail say the times as typed, not New York's reading of them.
  await expect(page.getByRole('cell', { name: `${typed.date} ${typed.start}`, exact: true })).toBeVisible();
  const detail = page.getByTestId('session-detail');
  await expect(detail).toContainText(`${typed.date} ${typed.start}`);

  await choose(page, '考场', /第1考场/);
  await page.keyboard.press('Escape');
  await detail.getByRole('button', { name: '随机安排座位' }).click();
  await expect(page.getByTestId('seating-result')).toContainText('已为 20 名考生安排座位');
  // No proctors in the room: the supervisor's override lets its desk check people in.
  await page.getByTestId('plan-第1考场').getByRole('button', { name: '特批' }).click();
  const override = page.getByRole('dialog');
  await override.getByLabel('特批原因').fill('监考人员在途，督导员同意先开始签到');
  await override.getByRole('button', { name: '确认特批' }).click();
  await expect(page.getByTestId('staffing-第1考场')).toHaveAttribute('data-status', 'override');

  // The desk: its title's start, and the time of a check-in, are Shanghai's.
  await page.getByRole('link', { name: '签到台' }).click();
  await choose(page, '考试批次', /砌筑工/);
  await choose(page, '场次', /理论知识考试/);
  await choose(page, '考场', '第1考场');
  await expect(page.getByTestId('desk-title')).toContainText(`${typed.start} 开考`);
  await expect(page.getByTestId('reader-status')).toContainText('请将身份证放在读卡器上', {
    timeout: 20_000,
  });
  const before = siteHhmmss(new Date(), SITE_ZONE);
  await layCard(page, demoPeople('2000-01-01')[0]!);
  const after = siteHhmmss(new Date(), SITE_ZONE);
  await expect(page.getByTestId('checkin-result')).toHaveAttribute('data-status', 'ok');
  const shownAt = (await page.getByTestId('checkin-result-at').textContent()) ?? '';
  expect(shownAt >= before && shownAt <= after, `${before} ≤ ${shownAt} ≤ ${after}`).toBe(true);
});

test('after the site’s zone is changed on the system page, screens use the new zone', async ({ page }) => {
  await signIn(page, host.url, ADMIN);

  await page.getByRole('link', { name: '系统与备份' }).click();
  await expect(page.getByTestId('system-time-zone')).toHaveText(SITE_ZONE);
  const zone = page.getByRole('combobox', { name: '时区', exact: true });
  await expect(zone).toHaveValue(SITE_ZONE);
  await zone.fill('Mars/Olympus_Mons');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('无法识别的时区（应为 IANA 名称，如 Asia/Shanghai）')).toBeVisible();
  await zone.fill('Asia/Tokyo');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  await expect(page.getByTestId('system-time-zone')).toHaveText('Asia/Tokyo');

  // The session planned at Shanghai's 开始时间 is now shown at Tokyo's (an hour later).
  const inTokyo = siteDateTime(siteWallTimeToIso(typed.date, typed.start, SITE_ZONE), 'Asia/Tokyo');
  expect(inTokyo).not.toBe(`${typed.date} ${typed.start}`);
  await page.getByRole('link', { name: '场次与座位' }).click();
  await choose(page, '考试批次', /砌筑工/);
  await expect(page.getByRole('cell', { name: inTokyo, exact: true })).toBeVisible();
});
