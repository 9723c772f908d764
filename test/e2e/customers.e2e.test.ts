import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfficeUser } from '../../cloud-worker/repositories/office-user-repository';
import { runSync } from '../../main/sync/run';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import { startChain, type Chain } from '../sync/chain';
import { type E2eTill, launchChromium, screenshots, startE2eTill } from './harness';
import { TillPage } from './till-page';

/**
 * Customers and offline tender caps through the whole chain, in Chromium:
 * head office caps card payments taken offline at Dhaka; with the line to
 * head office cut, a Dhaka cashier takes card over the cap with a manager's
 * PIN for a customer who gives her number, and a Chattogram cashier sells to
 * the same customer, her number written another way. When the line is back
 * both sales reach head office, where she is one customer with two purchases,
 * and the report shows Dhaka's card taken offline.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const PASSWORD = 'correct horse battery';
const EMAIL = 'accounts@haat.example';
const OIL = '8941000000035';
const TEA = '8941000000028';
const syncing = { timeout: 30_000, interval: 200 };

let chain: Chain;
let browser: Browser;
const tills: Record<'DHK01' | 'CTG01', { till: E2eTill; page: Page; ui: TillPage }> = {} as never;
const shot = screenshots('customers');

async function openTill(branch: 'DHK01' | 'CTG01', dir: string) {
  const till = await startE2eTill({ dataDir: dir, probeIntervalMs: 300 });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
  const ui = new TillPage(page);
  await page.goto(till.host.url);
  await ui.signIn('1234');
  await ui.openShift('1000');
  await ui.scan.waitFor();
  tills[branch] = { till, page, ui };
}

const connection = (page: Page) => () => page.locator('.header .connection').textContent();

beforeAll(async () => {
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.office.config.ts', '--logLevel', 'warn'],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } },
  );
  chain = await startChain('pglite');
  for (const branch of ['DHK01', 'CTG01']) {
    await chain.addBranch(branch);
    await chain.addStaff(branch, 'cashier', '1234');
    await chain.addStaff(branch, 'manager', '9876');
  }
  await chain.admin('PUT', '/v1/admin/branches/DHK01/settings', {
    settings: { ...DEFAULT_BRANCH_SETTINGS, syncSchedule: '0 3 1 1 *', offlineCardPerSaleTaka: 300 },
  });
  await chain.admin('PUT', '/v1/admin/branches/CTG01/settings', {
    settings: { ...DEFAULT_BRANCH_SETTINGS, syncSchedule: '0 3 1 1 *' },
  });
  await chain.addProduct('SKU3', { nameEn: 'Rupchanda Soybean Oil 1L', price: 19_000, barcodes: [OIL] });
  await chain.addProduct('SKU2', { nameEn: 'Ispahani Tea 400g', price: 26_000, barcodes: [TEA] });
  await createOfficeUser(chain.f.t.db, { email: EMAIL, password: PASSWORD, role: 'admin' });
  browser = await launchChromium();
  for (const branch of ['DHK01', 'CTG01'] as const) {
    const { dir } = await chain.addTill(branch, 1);
    await runSync({ dir });
    await openTill(branch, dir);
  }
}, 300_000);

afterAll(async () => {
  for (const t of Object.values(tills)) await t.till.close();
  await browser?.close();
  await chain?.close();
});

describe('customers and offline caps through the chain', () => {
  it('asks for a manager’s PIN for card over Dhaka’s offline cap, and keeps the customer on the sale', async () => {
    await chain.apiLine.cut();
    const { page, ui } = tills.DHK01;
    await page.keyboard.press('F7');
    await expect.poll(connection(page), syncing).toBe('Offline: no network');
    await ui.scanBarcode(OIL);
    await ui.scanBarcode(TEA);
    await expect.poll(() => ui.cartRows().count()).toBe(2);
    await page.keyboard.press('F9');
    await page.getByLabel('Mobile number (optional)').fill('01712345678');
    await page.getByLabel('Name (optional)').fill('Rahima Akter');
    await page.getByRole('button', { name: 'Add to sale' }).click();
    await expect.poll(() => page.getByTestId('customer-phone').textContent()).toBe('01712-345678');
    await page.getByRole('radio', { name: /Card/ }).check();
    await page.getByLabel('Card approval code').fill('AB1234');
    await page.keyboard.press('Enter');
    const overCap = page.getByRole('alert').filter({ hasText: 'Over the offline limit' });
    await expect.poll(() => overCap.textContent()).toContain('capped at ৳300.00 per sale');
    await shot(page, 'over-cap');
    await page.getByLabel("Manager's PIN").fill('9876');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('receipt-no').waitFor();
    expect(await page.getByTestId('receipt-no').textContent()).toBe('DHK01-1-000001');
    expect(await page.getByText('Customer: 01712-***678').count()).toBe(1);
    const qr = page.getByRole('img', { name: 'QR code of receipt DHK01-1-000001' });
    expect(await qr.getAttribute('data-qr-text')).toContain('Total BDT 450.00');
    await shot(page, 'receipt-qr');
    await page.getByRole('button', { name: /New sale/ }).click();
    await ui.scan.waitFor();
  });

  it('finds nothing of her at Chattogram, and records her there under the same number written another way', async () => {
    const { page, ui } = tills.CTG01;
    await page.keyboard.press('F7');
    await expect.poll(connection(page), syncing).toBe('Offline: no network');
    await ui.scanBarcode(OIL);
    await expect.poll(() => ui.cartRows().count()).toBe(1);
    await page.keyboard.press('F9');
    await page.getByLabel('Mobile number (optional)').fill('+880 1712-34567');
    await page.getByRole('button', { name: 'Add to sale' }).click();
    await expect.poll(() => page.getByLabel('Mobile number (optional)').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'customer-refused');
    await page.getByLabel('Mobile number (optional)').fill('+880 1712-345678');
    await page.getByRole('button', { name: 'Add to sale' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'customer' }).textContent())
      .toBe('New customer at this till');
    await shot(page, 'customer-new-at-ctg');
    await page.keyboard.press('F1');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'গ্রাহক' }).textContent())
      .toBe('এই টিলে নতুন গ্রাহক');
    await shot(page, 'customer-bangla');
    await page.keyboard.press('F1');
    await page.getByLabel('Amount (৳)').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-no').waitFor();
    expect(await page.getByTestId('receipt-no').textContent()).toBe('CTG01-1-000001');
  });

  it('merges her into one customer at head office once the tills are back, with both purchases', async () => {
    await chain.apiLine.restore();
    for (const { page } of Object.values(tills)) {
      await page.keyboard.press('F7');
      await expect.poll(connection(page), syncing).toBe('Online');
    }
    await expect
      .poll(async () => {
        await chain.drain();
        const rows = await chain.f.t.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM sales WHERE customer_phone = '+8801712345678'",
        );
        return rows[0]?.n;
      }, syncing)
      .toBe(2);
    expect(await chain.f.t.db.query('SELECT phone, name, first_branch FROM customers')).toEqual([
      { phone: '+8801712345678', name: 'Rahima Akter', first_branch: 'DHK01' },
    ]);

    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${chain.url}/office/`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Mobile number').fill('01712345678');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: '01712-345678' }).click();
    const purchases = page.getByRole('table', { name: 'Purchases' });
    await expect.poll(() => purchases.locator('tbody tr').count()).toBe(2);
    expect(await purchases.textContent()).toContain('DHK01-1-000001');
    expect(await purchases.textContent()).toContain('CTG01-1-000001');
    expect(await purchases.textContent()).toContain('over the offline limit, approved by Nasrin Akter (M9876)');
    await page.screenshot({
      path: join(ROOT, 'test-results/screens/customers-91-office-customer.png'),
      fullPage: true,
    });

    await nav.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('button', { name: 'Card and mobile money taken offline' }).click();
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('table').first().textContent(), syncing).toContain('৳450.00');
    await page.screenshot({
      path: join(ROOT, 'test-results/screens/customers-92-office-offline-report.png'),
      fullPage: true,
    });

    await nav.getByRole('link', { name: 'Branches and tills' }).click();
    const dhaka = page.locator('[data-branch="DHK01"]');
    expect(await dhaka.getByLabel('Card, per sale (৳)').inputValue()).toBe('300');
    await dhaka.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ROOT, 'test-results/screens/customers-93-office-caps.png'), fullPage: true });
    await page.close();
  });
});
