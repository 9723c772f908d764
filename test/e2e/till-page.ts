import type { Locator, Page } from 'playwright-core';

/** The cashier's actions on the screens, as a person does them: by label, role and key. */
export class TillPage {
  constructor(readonly page: Page) {}

  get scan(): Locator {
    return this.page.getByLabel(/Scan a barcode|বারকোড স্ক্যান/);
  }

  cartRows(): Locator {
    return this.page.locator('table.cart tbody tr');
  }

  async signIn(pin: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Your PIN' }).fill(pin);
    await this.page.keyboard.press('Enter');
  }

  async openShift(float: string): Promise<void> {
    await this.page.getByLabel(/Opening float/).fill(float);
    await this.page.keyboard.press('Enter');
  }

  /** A scanner types the digits and presses Enter. */
  async scanBarcode(barcode: string): Promise<void> {
    await this.scan.focus();
    await this.page.keyboard.type(barcode, { delay: 0 });
    await this.page.keyboard.press('Enter');
  }

  async expectText(text: string | RegExp): Promise<void> {
    await this.page.getByText(text).first().waitFor({ state: 'visible', timeout: 5_000 });
  }
}
