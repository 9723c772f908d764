import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGER, PRODUCTS } from '../../main/testing/fixtures';
import { join } from 'node:path';
import { type BrowserTill, SCREENS_DIR, screenshots, startBrowserTill } from './harness';
import type { TillPage } from './till-page';

/**
 * A cashier's shift in Chromium against a real till host on a real SQLite
 * file: sign in, open the shift, ring up a basket by scanner and by a Bangla
 * name, split the payment, see the receipt, refund with the manager's PIN,
 * void, and close the shift with the Z report. Every screen is saved to
 * test-results/screens/ for people to look at.
 */

const bc = (p: { barcodes: readonly string[] }) => p.barcodes[0]!;

let till: BrowserTill;
let page: Page;
let ui: TillPage;
const shot = screenshots('shift');

beforeAll(async () => {
  till = await startBrowserTill();
  ({ page, ui } = till);
}, 120_000);

afterAll(() => till?.close());

describe('a shift at the till, in the browser', () => {
  it('signs in by PIN, refusing a wrong one in words beside the field', async () => {
    await page.goto(till.host.url);
    await ui.expectText('Sign in · DHK01-2');
    await shot(page, 'login');
    await ui.signIn('5555');
    await ui.expectText('That PIN does not match anyone at this branch.');
    await shot(page, 'login-wrong-pin');
    await ui.signIn('1234');
    await ui.expectText('Open a shift');
    await ui.expectText('Sync not set up');
  });

  it('opens the shift with a float', async () => {
    await page.getByLabel(/Opening float/).fill('2000');
    await shot(page, 'open-shift');
    await page.keyboard.press('Enter');
    await ui.scan.waitFor();
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('scan');
  });

  it('scans three items; an unknown barcode says so and keeps the cart', async () => {
    await ui.scanBarcode(bc(PRODUCTS.oil));
    await ui.scanBarcode(bc(PRODUCTS.soap));
    await ui.scanBarcode(bc(PRODUCTS.tea));
    await expect.poll(() => ui.cartRows().count()).toBe(3);
    await ui.scanBarcode('4000000000000');
    await ui.expectText('No product has barcode 4000000000000. The cart is unchanged.');
    expect(await ui.cartRows().count()).toBe(3);
    expect(await page.getByTestId('cart-total').textContent()).toBe('৳505.00');
    await shot(page, 'sale-three-scanned');
    // A common till screen is 1024×768: the header's facts and the totals must stay in view.
    await page.setViewportSize({ width: 1024, height: 768 });
    for (const el of [
      page.getByText('Rahim Uddin'),
      page.getByTestId('pending-sales'),
      page.getByTestId('cart-total'),
    ]) {
      const box = await el.boundingBox();
      expect(box && box.x + box.width <= 1024 && box.y + box.height <= 768).toBe(true);
    }
    await shot(page, 'sale-1024x768');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('finds a product by its Bangla name and sells it by weight', async () => {
    await ui.scan.fill('মসুর');
    await page.getByRole('option', { name: /Masoor Dal/ }).waitFor();
    await shot(page, 'search-bangla');
    await page.keyboard.press('Enter');
    const qty = page.getByLabel(/Weight in kg/);
    await qty.waitFor();
    await qty.fill('0.750');
    await shot(page, 'quantity-kg');
    await page.keyboard.press('Enter');
    await expect.poll(() => ui.cartRows().count()).toBe(4);
    await ui.expectText('0.750 kg');
    // ৳135 × 0.75 = ৳101.25
    expect(await page.getByTestId('cart-total').textContent()).toBe('৳606.25');
  });

  it('shows every label in Bangla with F1, and back', async () => {
    await page.keyboard.press('F1');
    await ui.expectText('সর্বমোট');
    await ui.expectText('মসুর ডাল');
    expect(await page.getByTestId('cart-total').textContent()).toBe('৳৬০৬.২৫');
    await shot(page, 'sale-bangla');
    await page.keyboard.press('F1');
    await ui.expectText('Total');
  });

  it('asks for the manager’s PIN for a discount above the limit', async () => {
    await page.keyboard.press('F6');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Percent (%)').click();
    await dialog.getByLabel('Discount', { exact: true }).fill('10');
    await page.keyboard.press('Enter');
    await dialog.getByLabel("Manager's PIN").waitFor();
    await ui.expectText("This needs a manager's PIN.");
    await shot(page, 'discount-manager-pin');
    await dialog.getByLabel("Manager's PIN").fill(MANAGER.pin);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    // 10 % of ৳606.25 is ৳60.63 (rounded), so ৳545.62 to pay.
    expect(await page.getByTestId('cart-total').textContent()).toBe('৳545.62');
  });

  it('splits the payment between card and cash, then shows the receipt', async () => {
    await page.keyboard.press('F9');
    await page.getByRole('heading', { name: 'Payment' }).waitFor();
    await page.getByText('Card', { exact: false }).first().click();
    await page.getByLabel('Amount (৳)').fill('300');
    await page.getByLabel('Card approval code').fill('x1');
    await page.keyboard.press('Enter');
    await ui.expectText('Enter the approval code from the card terminal (4–12 letters or digits).');
    await shot(page, 'tender-card-refused');
    await page.getByLabel('Card approval code').fill('APPR01');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('due').textContent()).toBe('৳245.62');
    await shot(page, 'tender-split');
    await page.keyboard.press('F1');
    await ui.expectText('বাকি');
    await shot(page, 'tender-bangla');
    await page.keyboard.press('F1');
    await page.getByRole('button', { name: '৳300.00' }).click();
    await ui.expectText('Give change');
    expect(await page.getByTestId('receipt-no').textContent()).toBe('DHK01-2-000001');
    await ui.expectText('৳54.38');
    await shot(page, 'receipt');
    // As printed: print styles, on 80 mm paper.
    await page.pdf({ path: join(SCREENS_DIR, 'shift-receipt-80mm.pdf'), width: '80mm', preferCSSPageSize: true });
    await page.keyboard.press('F1');
    await ui.expectText('ফেরত দিন');
    await ui.expectText('রূপচাঁদা সয়াবিন তেল ১ লিটার');
    await shot(page, 'receipt-bangla');
    await page.keyboard.press('F1');
    await page.keyboard.press('Enter');
    await ui.scan.waitFor();
    expect(await ui.cartRows().count()).toBe(0);
  });

  it('rings up a second sale in cash and straight back to a new one', async () => {
    await ui.scanBarcode(bc(PRODUCTS.egg));
    await expect.poll(() => ui.cartRows().count()).toBe(1);
    await page.keyboard.press('F9');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-no').waitFor();
    expect(await page.getByTestId('receipt-no').textContent()).toBe('DHK01-2-000002');
    await page.keyboard.press('Enter');
    await ui.scan.waitFor();
  });

  it('refunds part of a sale by receipt number with the manager’s PIN', async () => {
    await page.keyboard.press('F8');
    await page.getByLabel('Receipt number').fill('dhk01-2-000001');
    await page.keyboard.press('Enter');
    await page.getByLabel(/Refund qty: Lux Soap/).fill('2');
    await page.getByLabel('Reason').fill('torn wrapper');
    await page.getByLabel("Manager's PIN").fill(MANAGER.pin);
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await ui.expectText('Only 1 of Lux Soap 100g can still be refunded.');
    await shot(page, 'refund-over');
    await page.keyboard.press('F1');
    await ui.expectText('বিক্রির চেয়ে বেশি ফেরত দেওয়া যায় না।');
    await shot(page, 'refund-over-bangla');
    await page.keyboard.press('F1');
    await page.getByLabel(/Refund qty: Lux Soap/).fill('1');
    await page.getByLabel("Manager's PIN").fill('1234');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await ui.expectText("That is not a manager's PIN.");
    await page.getByLabel("Manager's PIN").fill(MANAGER.pin);
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await ui.expectText(/Refunded ৳\d+\.\d\d on DHK01-2-000001\./);
    await shot(page, 'refund-done');
  });

  it('voids a sale of this shift', async () => {
    await page.getByLabel('Receipt number').fill('DHK01-2-000002');
    await page.keyboard.press('Enter');
    await page.getByLabel('Reason').fill('customer changed mind');
    await page.getByLabel("Manager's PIN").fill(MANAGER.pin);
    await page.getByRole('button', { name: 'Void whole sale' }).click();
    await ui.expectText('Sale DHK01-2-000002 is voided.');
    await shot(page, 'void-done');
    await page.keyboard.press('Escape');
    await ui.scan.waitFor();
    await ui.expectText('voided');
    expect(await page.locator('[data-tick]').count()).toBe(2);
    expect(await page.getByTestId('pending-sales').textContent()).toBe('2');
    await shot(page, 'sale-recent');
  });

  it('closes the shift with cash counted by note, expected against counted, and the Z report', async () => {
    await page.keyboard.press('F10');
    await page.getByRole('heading', { name: 'Close shift' }).waitFor();
    // Float ৳2000 + cash kept ৳245.62 − a soap refunded at its discounted ৳49.50 (the voided sale counts nothing).
    await expect.poll(() => page.getByTestId('expected-cash').textContent()).toBe('৳2,196.12');
    for (const [note, count] of [
      ['1,000', '2'],
      ['100', '1'],
      ['50', '1'],
      ['20', '2'],
      ['5', '1'],
      ['1', '1'],
    ]) {
      await page.getByLabel(`৳${note}`, { exact: true }).fill(count!);
    }
    expect(await page.getByTestId('counted-cash').textContent()).toBe('৳2,196.00');
    await shot(page, 'close-shift');
    await page.keyboard.press('F1');
    await ui.expectText('গোনা ক্যাশ');
    await shot(page, 'close-shift-bangla');
    await page.keyboard.press('F1');
    await page.getByRole('button', { name: 'Close shift', exact: true }).click();
    await page.getByRole('heading', { name: 'Z report' }).waitFor();
    await ui.expectText('Net sales');
    await ui.expectText('-৳0.12');
    await shot(page, 'z-report');
    await page.getByRole('button', { name: 'Open next shift' }).click();
    await ui.expectText('Open a shift');
  });
});
