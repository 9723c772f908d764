import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartbeat } from '../../cloud-worker/queue/consumer-from-config';
import { createOfficeUser } from '../../cloud-worker/repositories/office-user-repository';
import { silentLog } from '../../cloud-worker/testing/cloud-fixture';
import { taka } from '../../shared/money';
import { openTill } from '../../main/open-till';
import { openShift } from '../../main/shift/open-shift';
import { findByBarcode } from '../../main/store/catalog';
import { login } from '../../main/staff/login';
import { goOffline, goOnline } from '../../main/sync/offline-mode';
import { runSync } from '../../main/sync/run';
import { must, ringCashSale } from '../../main/testing/ring';
import { startChain, tillPaths, type Chain } from '../sync/chain';
import { launchChromium, SCREENS_DIR } from './harness';

/**
 * Head office end to end, on the real chain: the app built by Vite and served
 * by the cloud API, Debian's Chromium, PGlite, Azurite and a till on a real
 * SQLite file that syncs for real. An admin signs in, adds a product with a
 * Bangla name, the till pulls it and sells it, and head office sees the sale
 * in today's report (and its CSV) and in the branch's sync health.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const EMAIL = 'accounts@haat.example';
const PASSWORD = 'correct horse battery';
const BARCODE = '8941234500017';

let chain: Chain;
let tillDir: string;
let cashierId: string;
let managerId: string;
let browser: Browser;
let page: Page;
const stopHeartbeat = new AbortController();
let shots = 0;

/** Saves test-results/screens/office-<nn>-<name>.png, the whole page. */
async function shot(name: string) {
  shots += 1;
  await page.screenshot({
    path: join(SCREENS_DIR, `office-${String(shots).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

async function open(nav: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: nav }).click();
}

beforeAll(async () => {
  mkdirSync(SCREENS_DIR, { recursive: true });
  for (const f of readdirSync(SCREENS_DIR)) if (f.startsWith('office-')) rmSync(join(SCREENS_DIR, f));
  // As `npm run build:office` does, in production mode, into dist/office, where the API serves it from.
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.office.config.ts', '--logLevel', 'warn'],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } },
  );
  chain = await startChain('pglite');
  await chain.addBranch('DHK01');
  cashierId = await chain.addStaff('DHK01', 'cashier', '1234');
  managerId = await chain.addStaff('DHK01', 'manager', '9876');
  ({ dir: tillDir } = await chain.addTill('DHK01', 1));
  await createOfficeUser(chain.f.t.db, { email: EMAIL, password: PASSWORD, role: 'admin' });
  startHeartbeat(chain.f.t.db, silentLog, stopHeartbeat.signal);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 860 }, acceptDownloads: true });
  page.setDefaultTimeout(15_000);
}, 240_000);

afterAll(async () => {
  stopHeartbeat.abort();
  await browser?.close();
  await chain?.close();
});

describe('head office in the browser', () => {
  it('refuses a wrong password beside the field, then signs in', async () => {
    await page.goto(`${chain.url}/office/`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong email or password');
    await shot('login-refused');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
  });

  it('adds a product with a Bangla name', async () => {
    await open('Products and prices');
    await page.getByRole('button', { name: 'New product' }).click();
    const form = page.getByRole('form', { name: 'New product' });
    await form.getByLabel('SKU').fill('DAL-1KG');
    await form.getByLabel('Name (English)').fill('Mushur dal 1 kg');
    await form.getByLabel('Name (Bangla)').fill('মসুর ডাল ১ কেজি');
    await form.getByLabel('Category').fill('grocery');
    await form.getByLabel('Price (৳)').fill('1,45,000.50');
    await form.getByLabel('VAT %').fill('5');
    await form.getByLabel('Barcodes (space between)').fill(BARCODE);
    await form.getByRole('button', { name: 'Save product' }).click();
    const row = page.locator('tr[data-sku="DAL-1KG"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('৳1,45,000.50');
    expect(await row.textContent()).toContain('মসুর ডাল ১ কেজি');
    await shot('products');
  });

  it('schedules a price change for later, and previews a CSV import with its row errors', async () => {
    await page.locator('tr[data-sku="DAL-1KG"]').getByRole('button', { name: 'Change price or VAT' }).click();
    const form = page.getByRole('form', { name: 'Change price or VAT' });
    await form.getByLabel('Price (৳)').fill('150000');
    await form.getByLabel('Takes effect').fill('2099-01-01T09:00');
    await form.getByRole('button', { name: 'Save change' }).click();
    await expect
      .poll(() => page.locator('tr[data-sku="DAL-1KG"]').textContent())
      .toContain('From 01/01/2099, 09:00: ৳1,50,000.00');
    const csv = [
      'sku,name_en,name_bn,category,unit,price,vat_rate,vat_mode,active,barcodes',
      'TEA-400,Tea 400g,চা পাতা ৪০০ গ্রাম,beverage,piece,250,7.5,inclusive,yes,8941234500024',
      'SUGAR-1,Sugar,চিনি,grocery,litre,95,5,,,8941234500031',
      'OIL-1L,Soybean oil 1 L,সয়াবিন তেল,grocery,piece,abc,5,,,8941234500048',
    ].join('\n');
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.locator('table.import-errors tbody tr').count()).toBe(2);
    expect(await page.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
    await shot('products-import-preview');
  });

  it('reaches the till on its next sync, which then sells it', async () => {
    const first = await runSync({ dir: tillDir, missingGraceMs: 0 });
    expect(first.pull.products).toBeGreaterThanOrEqual(1);
    const till = openTill(tillPaths(tillDir).db);
    try {
      expect(findByBarcode(till.deps.db, BARCODE)).toMatchObject({ nameBn: 'মসুর ডাল ১ কেজি', price: 14_500_050 });
      const shift = must(openShift(till.deps, { cashierId, openingFloat: taka(1000) }));
      // The line dropped for a while, then a manager switched the till to Work offline and back.
      must(goOffline(till.deps, { cause: 'network', by: null, detail: 'No answer from head office: timed out' }));
      ringCashSale(till.deps, shift.id, [{ barcode: BARCODE, quantity: 2000 }]);
      must(goOnline(till.deps, { cause: 'network', by: null }));
      must(goOffline(till.deps, { cause: 'manual', by: managerId, detail: 'Card machine line is down' }));
      must(goOnline(till.deps, { cause: 'manual', by: cashierId }));
    } finally {
      till.store.close();
    }
    await runSync({ dir: tillDir, missingGraceMs: 0 });
    await chain.drain();
    await runSync({ dir: tillDir, missingGraceMs: 0 });
  });

  it('shows the sale in today’s report, drawn and tabled, and exports it as CSV', async () => {
    await open('Reports');
    await page.getByRole('button', { name: 'Sales by product' }).click();
    const table = page.getByRole('table', { name: 'Table' });
    await expect.poll(() => table.textContent()).toContain('Mushur dal 1 kg');
    expect(await table.textContent()).toContain('৳2,90,001.00');
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await shot('report-sales-by-product');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toContain('Product');
    expect(text).toContain('Mushur dal 1 kg');
    expect(text).toContain('290001.00');
    await page.getByRole('button', { name: 'Sales by day and branch' }).click();
    await expect.poll(() => table.textContent()).toContain('DHK01');
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await shot('report-sales-by-day');
  });

  it('shows the branch’s sync health: the till seen, its sale today, the rule for the colour', async () => {
    await open('Sync health');
    const row = page.locator('tr[data-till="DHK01-1"]');
    await row.waitFor();
    expect(await row.getByTestId('sales-today').textContent()).toBe('1');
    expect(await row.locator('[data-state]').first().getAttribute('data-state')).toBe('green');
    expect(await page.getByTestId('workers-alive').textContent()).toBe('1');
    expect(await page.getByText('Never seen, or not seen for 24 hours').count()).toBe(1);
    // What the till said of its database on its last pull, and when it worked offline.
    expect(await row.getByTestId('till-db').textContent()).toMatch(/\d+(\.\d)? (KB|MB)\d+ waiting/);
    const periods = page.locator('article[data-branch="DHK01"] .offline-periods');
    expect(await periods.locator('tr[data-offline="manual"]').textContent()).toContain('Nasrin Akter');
    expect(await periods.locator('tr[data-offline="manual"]').textContent()).toContain('back online by Rahim Uddin');
    expect(await periods.locator('tr[data-offline="network"]').textContent()).toContain(
      'Network: head office did not answer',
    );
    await shot('health');
  });

  it('adds a till and offers its provisioning file once', async () => {
    await open('Branches and tills');
    const branch = page.locator('article[data-branch="DHK01"]');
    await branch.getByLabel('Till number').fill('2');
    await branch.getByRole('button', { name: 'Add till' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await shot('branches-bundle');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('link', { name: 'Download provisioning file' }).click(),
    ]);
    const bundle = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { branch: string; till: number };
    expect(bundle).toMatchObject({ branch: 'DHK01', till: 2 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await shot('branches');
  });

  it('resets a cashier’s PIN and deactivates a manager, which the till learns on its next sync', async () => {
    const branch = page.locator('article[data-branch="DHK01"]');
    const cashier = branch.locator('tr[data-staff="C1234"]');
    await cashier.getByRole('button', { name: 'Reset PIN' }).click();
    await cashier.getByLabel('New PIN').fill('4321');
    await cashier.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => cashier.getByLabel('New PIN').count()).toBe(0);
    const manager = branch.locator('tr[data-staff="M9876"]');
    await manager.getByRole('button', { name: 'Deactivate' }).click();
    await manager.getByRole('button', { name: 'Activate' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await branch.locator('ul.tills li').filter({ hasText: 'Till 2' }).getByRole('button', { name: 'Revoke' }).click();
    await branch.getByText(/revoked/).waitFor();
    await shot('branches-staff-changed');
    await runSync({ dir: tillDir, missingGraceMs: 0 });
    const till = openTill(tillPaths(tillDir).db);
    try {
      expect(login(till.deps, { pin: '4321' })).toMatchObject({ ok: true, value: { code: 'C1234' } });
      expect(login(till.deps, { pin: '1234' })).toMatchObject({ ok: false });
      expect(login(till.deps, { pin: '9876' })).toMatchObject({ ok: false });
    } finally {
      till.store.close();
    }
  });

  it('lists head-office users', async () => {
    await open('Users');
    await page.getByRole('cell', { name: EMAIL }).waitFor();
    await shot('users');
  });

  it('reads every page in Bangla', async () => {
    await page.getByRole('button', { name: 'Switch language to Bangla' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'সিঙ্ক অবস্থা' }).click();
    await page.getByRole('heading', { name: 'সিঙ্ক অবস্থা', level: 1 }).waitFor();
    expect(await page.locator('tr[data-till="DHK01-1"]').getByTestId('sales-today').textContent()).toBe('১');
    await shot('health-bangla');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'রিপোর্ট' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'টেবিল' }).textContent()).toContain('DHK01');
    await shot('report-bangla');
    await page.getByRole('button', { name: 'ভাষা ইংরেজিতে বদলান' }).click();
  });

  it('signs out, after which the API answers nothing without signing in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Head office sign in' }).waitFor();
    await shot('signed-out');
    const res = await page.request.get(`${chain.url}/v1/office/health`);
    expect(res.status()).toBe(401);
  });
});
