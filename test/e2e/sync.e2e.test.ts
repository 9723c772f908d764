import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../cloud-worker/queue/azurite';
import { databaseKinds } from '../../cloud-worker/testing/test-database';
import { runSync } from '../../main/sync/run';
import { PRODUCTS } from '../../main/testing/fixtures';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import { startChain, type Chain } from '../sync/chain';
import { type BrowserTill, screenshots, startBrowserTill } from './harness';
import { ScriptedSync } from './scripted-sync';
import type { TillPage } from './till-page';

/**
 * What the cashier sees of sync: the connection in the header, sales waiting,
 * ✔ when the cloud queue has a sale and ✔✔ when head office does, Sync now,
 * Work offline, and selling on while the network is away. First with a
 * scripted sync control, step by step; then against the real sync timer,
 * a real Azurite and the real central side.
 */

/** The cashier signs in and opens a shift, ready to scan. */
async function startShift(till: BrowserTill): Promise<void> {
  await till.page.goto(till.host.url);
  await till.ui.signIn('1234');
  await till.ui.openShift('1000');
  await till.ui.scan.waitFor();
}

/** The cashier's actions on one till's page. */
function cashier(getPage: () => Page, getUi: () => TillPage) {
  return {
    /** Rings up one item paid in cash; answers the receipt number. */
    async sell(barcode: string): Promise<string> {
      const page = getPage();
      await getUi().scanBarcode(barcode);
      await expect.poll(() => getUi().cartRows().count()).toBe(1);
      await page.keyboard.press('F9');
      await page.keyboard.press('Enter');
      const receiptNo = (await page.getByTestId('receipt-no').textContent())!.trim();
      // Enter goes to the focused "New sale" button: wait until the receipt has focused it.
      const newSale = page.getByRole('button', { name: /New sale/ });
      await expect
        .poll(() =>
          newSale.evaluate(
            (el) => (el as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el,
          ),
        )
        .toBe(true);
      await page.keyboard.press('Enter');
      await getUi().scan.waitFor();
      return receiptNo;
    },
    ticks: () =>
      getPage()
        .locator('[data-tick]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-tick'))),
    pending: () => getPage().getByTestId('pending-sales').textContent(),
    /** Online, Offline, Syncing… as the header's connection says it. */
    connection: () => getPage().locator('.header .connection').textContent(),
  };
}

describe('sync as the cashier sees it, step by step', () => {
  let till: BrowserTill;
  let sync: ScriptedSync;
  let page: Page;
  let ui: TillPage;
  const shot = screenshots('sync');
  const { sell: sellOne, ticks } = cashier(
    () => page,
    () => ui,
  );
  const sell = async (barcode: string) => void (await sellOne(barcode));

  beforeAll(async () => {
    let syncRef: ScriptedSync | null = null;
    till = await startBrowserTill({
      sync: {
        status: () => syncRef!.status(),
        runNow: () => syncRef!.runNow(),
        setPaused: (p) => syncRef!.setPaused(p),
      },
    });
    sync = syncRef = new ScriptedSync(till.till.deps.db);
    ({ page, ui } = till);
    await startShift(till);
  }, 120_000);

  afterAll(() => till?.close());

  it('shows a new sale as only on this till, then ✔ after a push and ✔✔ after head office confirms', async () => {
    await sell(PRODUCTS.soap.barcodes[0]!);
    await expect.poll(ticks).toEqual(['local']);
    await expect.poll(() => page.getByTestId('pending-sales').textContent()).toBe('1');
    await page.keyboard.press('F7');
    await expect.poll(ticks).toEqual(['queued']);
    await ui.expectText('Online');
    await expect.poll(() => page.getByTestId('pending-sales').textContent()).toBe('0');
    await shot(page, 'queued');
    sync.acknowledge = true;
    await page.getByRole('button', { name: /Sync now/ }).click();
    await expect.poll(ticks).toEqual(['acked']);
    await shot(page, 'acked');
  });

  it('keeps selling with the network away, and catches up when it is back', async () => {
    sync.network = false;
    await page.keyboard.press('F7');
    await ui.expectText('Offline');
    await sell(PRODUCTS.tea.barcodes[0]!);
    await sell(PRODUCTS.oil.barcodes[0]!);
    await expect.poll(ticks).toEqual(['local', 'local', 'acked']);
    await shot(page, 'offline-selling');
    sync.network = true;
    sync.acknowledge = false;
    await page.keyboard.press('F7');
    await expect.poll(ticks).toEqual(['queued', 'queued', 'acked']);
    sync.acknowledge = true;
    await page.keyboard.press('F7');
    await expect.poll(ticks).toEqual(['acked', 'acked', 'acked']);
  });

  it('works offline on a manager’s PIN: sync pauses and Sync now waits until it is switched back', async () => {
    // The switch asks first; it moves once a manager has approved.
    await page.getByRole('switch', { name: 'Work offline' }).click();
    const dialog = page.getByRole('dialog', { name: 'Work offline' });
    await dialog.getByLabel("Manager's PIN").fill('1234');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain("That is not a manager's PIN.");
    expect(sync.paused).toBe(false);
    await shot(page, 'work-offline-pin-refused');
    await dialog.getByLabel("Manager's PIN").fill('9876');
    await dialog.getByLabel('Reason (optional)').fill('Card machine line is down');
    await page.keyboard.press('Enter');
    await ui.expectText('Working offline');
    await expect.poll(() => sync.paused).toBe(true);
    expect(await page.getByRole('button', { name: /Sync now/ }).isDisabled()).toBe(true);
    await shot(page, 'working-offline');
    const runs = sync.runs;
    await page.keyboard.press('F7');
    await page.getByRole('switch', { name: 'Work offline' }).uncheck();
    await expect.poll(() => sync.paused).toBe(false);
    expect(sync.runs).toBe(runs);
    const events = till.till.deps.db
      .prepare("SELECT type, json_extract(body, '$.payload.cause') AS cause FROM outbox WHERE type LIKE 'till.%'")
      .all();
    expect(events).toEqual([
      { type: 'till.offline', cause: 'manual' },
      { type: 'till.online', cause: 'manual' },
    ]);
    // Focus is on the switch now; the scanner's digits still reach the scan field.
    await page.keyboard.type(PRODUCTS.egg.barcodes[0]!);
    await page.keyboard.press('Enter');
    await expect.poll(() => ui.cartRows().count()).toBe(1);
  });
});

describe.each(databaseKinds())('sync as the cashier sees it, against the real chain (%s)', (kind) => {
  let chain: Chain;
  let till: BrowserTill;
  let page: Page;
  let ui: TillPage;
  let restartedQueue: Azurite | null = null;
  const shot = screenshots(`sync-chain-${kind}`);
  const { sell, ticks, pending, connection } = cashier(
    () => page,
    () => ui,
  );
  const soap = '8941000000011';
  const tea = '8941000000028';
  const oil = '8941000000035';
  const sold: string[] = [];
  // A real sync starts a worker thread and goes over the network; on a busy machine that takes seconds.
  const syncing = { timeout: 30_000, interval: 200 };

  /** Head office's copy of this till's sales: receipt number and how many rows each has. */
  async function centralSales(): Promise<[string, number][]> {
    const rows = await chain.f.t.db.query<{ receipt_no: string; n: number | string }>(
      "SELECT receipt_no, count(*) AS n FROM sales WHERE branch = 'DHK01' AND till_no = 2 GROUP BY receipt_no ORDER BY receipt_no",
    );
    return rows.map((r) => [r.receipt_no, Number(r.n)]);
  }

  beforeAll(async () => {
    chain = await startChain(kind);
    await chain.addBranch('DHK01');
    // A schedule that never comes round during the test: the till then syncs when the cashier
    // asks or when the network comes back, and each step can be watched.
    await chain.admin('PUT', '/v1/admin/branches/DHK01/settings', {
      // Head office that does not answer in 8 s counts as offline.
      settings: { ...DEFAULT_BRANCH_SETTINGS, syncSchedule: '0 3 1 1 *', networkTimeoutSeconds: 8 },
    });
    await chain.addProduct('SKU1', { nameEn: 'Lux Soap 100g', nameBn: 'লাক্স সাবান', price: 5_500, barcodes: [soap] });
    await chain.addProduct('SKU2', {
      nameEn: 'Ispahani Tea 400g',
      nameBn: 'ইস্পাহানি চা',
      price: 26_000,
      barcodes: [tea],
    });
    await chain.addProduct('SKU3', {
      nameEn: 'Rupchanda Soybean Oil 1L',
      nameBn: 'রূপচাঁদা সয়াবিন তেল',
      price: 19_000,
      barcodes: [oil],
    });
    await chain.addStaff('DHK01', 'cashier', '1234');
    await chain.addStaff('DHK01', 'manager', '9876');
    const { dir } = await chain.addTill('DHK01', 2);
    // Installing a till ends with one sync: the catalog, the staff and the branch's schedule arrive.
    await runSync({ dir });
    till = await startBrowserTill({ dataDir: dir, probeIntervalMs: 300 });
    ({ page, ui } = till);
    await startShift(till);
  }, 180_000);

  afterAll(async () => {
    await till?.close();
    await restartedQueue?.stop();
    await chain?.close();
  });

  it('shows a sale on this till only, ✔ once the queue has it, ✔✔ once head office has it', async () => {
    sold.push(await sell(soap));
    await expect.poll(ticks).toEqual(['local']);
    await expect.poll(pending).toBe('1');
    await shot(page, 'on-till');
    await page.keyboard.press('F7');
    await expect.poll(ticks, syncing).toEqual(['queued']);
    await expect.poll(connection, syncing).toBe('Online');
    await expect.poll(pending).toBe('0');
    await shot(page, 'queued');
    await chain.drain();
    await page.getByRole('button', { name: /Sync now/ }).click();
    await expect.poll(ticks, syncing).toEqual(['acked']);
    await shot(page, 'acked');
    expect(await centralSales()).toEqual([[sold[0], 1]]);
  });

  it('with the queue and the API stopped: keeps selling, then ✔ then ✔✔ when they are back', async () => {
    await chain.apiLine.cut();
    await chain.f.azurite.stop();
    await page.keyboard.press('F7');
    await expect.poll(connection, syncing).toBe('Offline: no network');
    sold.push(await sell(tea));
    sold.push(await sell(oil));
    await expect.poll(ticks).toEqual(['local', 'local', 'acked']);
    await expect.poll(pending).toBe('2');
    await expect.poll(connection, syncing).toBe('Offline: no network');
    await shot(page, 'offline-selling');
    // The queue first, then the line to head office: the till's health check sees head office
    // again and the timer sends at once, without anyone pressing Sync now.
    restartedQueue = await startAzurite(chain.f.azurite.location, chain.f.azurite.port);
    await chain.apiLine.restore();
    await expect.poll(ticks, syncing).toEqual(['queued', 'queued', 'acked']);
    await expect.poll(pending).toBe('0');
    await expect.poll(connection, syncing).toBe('Online');
    await shot(page, 'back-queued');
    await chain.drain();
    await page.keyboard.press('F7');
    await expect.poll(ticks, syncing).toEqual(['acked', 'acked', 'acked']);
    await shot(page, 'back-acked');
    expect(await centralSales()).toEqual([...sold].sort().map((r) => [r, 1]));
  });

  it('goes offline by itself when head office stops answering mid-sale, and the sale never waits for it', async () => {
    await ui.scanBarcode(soap);
    await expect.poll(() => ui.cartRows().count()).toBe(1);
    // The line goes quiet: no refusal, no answer. The cashier's Sync now starts a run that waits on it.
    chain.apiLine.stall();
    await page.keyboard.press('F7');
    await expect.poll(connection).toBe('Syncing…');
    await ui.scanBarcode(tea);
    await expect.poll(() => ui.cartRows().count()).toBe(2);
    await page.keyboard.press('F9');
    await page.keyboard.press('Enter');
    const receiptNo = (await page.getByTestId('receipt-no').textContent())!.trim();
    sold.push(receiptNo);
    await shot(page, 'stalled-line-receipt');
    // The sale went on disk while the sync still waited for head office: it is before the till went offline.
    const recorded = () =>
      till.till.deps.db
        .prepare("SELECT type FROM outbox WHERE type IN ('sale.completed', 'till.offline') ORDER BY seq")
        .all()
        .map((r) => (r as { type: string }).type)
        .slice(-2);
    await expect.poll(recorded, syncing).toEqual(['sale.completed', 'till.offline']);
    await expect.poll(connection, syncing).toBe('Offline: no network');
    await page.keyboard.press('Enter');
    await ui.scan.waitFor();
    // Offline, Sync now answers at once: the screen never waits on the line.
    await page.keyboard.press('F7');
    sold.push(await sell(oil));
    await expect.poll(pending).toBe('2');
    await page.getByRole('button', { name: /Till status/ }).click();
    const status = page.getByRole('dialog', { name: 'Till status' });
    await expect.poll(() => status.getByTestId('status-offline-why').textContent()).toContain('went offline by itself');
    expect(await status.getByTestId('status-rows-waiting').textContent()).not.toBe('0');
    await shot(page, 'auto-offline-status');
    await page.keyboard.press('Escape');

    // The line answers again: the health check passes, the till is online by itself and sends.
    await chain.apiLine.restore();
    await expect.poll(connection, syncing).toBe('Online');
    await expect.poll(pending, syncing).toBe('0');
    await chain.drain();
    await page.keyboard.press('F7');
    await expect.poll(ticks, syncing).toEqual(['acked', 'acked', 'acked', 'acked', 'acked']);
    await shot(page, 'auto-online-acked');
    expect(await centralSales()).toEqual([...sold].sort().map((r) => [r, 1]));
    // Head office has each offline period of this till once, with when and for how long.
    const periods = await chain.f.t.db.query<{ cause: string; started_at: string; ended_at: string | null }>(
      `SELECT s.cause, s.started_at, e.ended_at FROM till_offline_starts s
         LEFT JOIN till_offline_ends e ON e.period_id = s.period_id
        WHERE s.branch = 'DHK01' AND s.till_no = 2 ORDER BY s.started_at`,
    );
    expect(periods.map((p) => p.cause)).toEqual(['network', 'network']);
    expect(
      periods.every((p) => p.ended_at !== null && Number(p.ended_at) > Number(p.started_at)),
      JSON.stringify(periods),
    ).toBe(true);
  });
});
