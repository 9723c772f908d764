// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../cloud-worker/office/web/api';
import { App } from '../../cloud-worker/office/web/App';
import { LangProvider } from '../../cloud-worker/office/web/i18n';
import { BranchesPage } from '../../cloud-worker/office/web/pages/BranchesPage';
import { CustomersPage } from '../../cloud-worker/office/web/pages/CustomersPage';
import { HealthPage } from '../../cloud-worker/office/web/pages/HealthPage';
import { ProductsPage } from '../../cloud-worker/office/web/pages/ProductsPage';
import { ReportsPage } from '../../cloud-worker/office/web/pages/ReportsPage';
import { createOfficeUser } from '../../cloud-worker/repositories/office-user-repository';
import { startApi } from '../../cloud-worker/testing/api-fixture';
import { batchOf, saleEvent, tillSource } from '../../cloud-worker/testing/batches';
import { drain, sendBatches, startCloudFixture, type CloudFixture } from '../../cloud-worker/testing/cloud-fixture';
import { dhakaDay } from '../../shared/reports';
import { realApiFetch } from './real-api';

/**
 * Head office's main screens against the real API (PGlite, Azurite, the real
 * routes and sessions), in happy-dom: sign-in, sync health with a lost
 * receipt and a rejected message, a CSV import refused then accepted, and a
 * report drawn from the reports engine.
 */
const PASSWORD = 'correct horse battery';
let f: CloudFixture;
let api: Awaited<ReturnType<typeof startApi>>;

async function signedIn(role: 'admin' | 'viewer') {
  const email = `${role}-${Math.random().toString(36).slice(2)}@haat.example`;
  await createOfficeUser(f.t.db, { email, password: PASSWORD, role });
  const client = createClient(realApiFetch(api.app));
  await client.login(email, PASSWORD);
  return client;
}

beforeAll(async () => {
  f = await startCloudFixture('pglite');
  api = await startApi(f);
  const till = await f.addTill('DHK01', 1);
  const src = tillSource('DHK01', 1);
  const events = Array.from({ length: 5 }, () => saleEvent(src));
  // The third sale never arrives: receipt DHK01-1-000003 is missing.
  await sendBatches(api.queue, till.signer, [batchOf(src, events.slice(0, 2)), batchOf(src, events.slice(3))]);
  await api.queue.sendMessage('not a sales batch', { messageTimeToLive: -1 });
  await drain(api.consumer);
}, 120_000);

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
afterAll(async () => {
  await api?.close();
  await f?.dispose();
});

describe('head office screens on the real API', () => {
  it('signs in, says why a password is refused, and shows who is signed in', async () => {
    await createOfficeUser(f.t.db, { email: 'desk@haat.example', password: PASSWORD, role: 'viewer' });
    render(<App client={createClient(realApiFetch(api.app))} initialLang="en" initialPage="health" />);
    await userEvent.type(await screen.findByLabelText('Email'), 'desk@haat.example');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('wrong email or password');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('wrong email or password');
    await userEvent.type(screen.getByLabelText('Password'), PASSWORD);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Signed in as desk@haat.example (viewer)')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Sync health', level: 1 })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Switch language to Bangla' }));
    expect(await screen.findByRole('heading', { name: 'সিঙ্ক অবস্থা', level: 1 })).toBeInTheDocument();
  });

  it('names the missing receipt and the rule, and lets an admin re-drive a rejected message', async () => {
    const client = await signedIn('admin');
    // The admin answers yes to “send it back to the main queue?”.
    vi.stubGlobal('confirm', () => true);
    render(
      <LangProvider lang="en">
        <HealthPage client={client} admin />
      </LangProvider>,
    );
    const row = await screen.findByRole('row', { name: /^1 Amber/ });
    expect(row).toHaveTextContent('DHK01-1-000003');
    expect(row).toHaveTextContent('sales missing');
    expect(within(row).getByTestId('sales-today')).toHaveTextContent('4');
    expect(screen.getByText(/Not synced for longer than its branch allows \(2 h unless/)).toBeInTheDocument();
    // No pull has reported this till's database yet.
    expect(within(row).getByTestId('till-db')).toHaveTextContent('not reported yet');
    const rejected = screen.getAllByRole('row').find((r) => r.hasAttribute('data-message'))!;
    await userEvent.click(within(rejected).getByRole('button', { name: 'Re-drive' }));
    await waitFor(() => expect(within(rejected).queryByRole('button', { name: 'Re-drive' })).toBeNull());
    const peeked = await api.queue.peekMessages({ numberOfMessages: 5 });
    expect(peeked.peekedMessageItems.map((m) => m.messageText)).toEqual(['not a sales batch']);
  });

  it('shows a viewer the same health page without the re-drive button', async () => {
    const client = await signedIn('viewer');
    render(
      <LangProvider lang="en">
        <HealthPage client={client} admin={false} />
      </LangProvider>,
    );
    await screen.findByRole('row', { name: /^1 Amber/ });
    expect(screen.queryByRole('button', { name: 'Re-drive' })).toBeNull();
  });

  it('refuses a CSV import with row errors, then imports a corrected file all at once', async () => {
    const client = await signedIn('admin');
    render(
      <LangProvider lang="en">
        <ProductsPage client={client} admin />
      </LangProvider>,
    );
    const header = 'sku,name_en,name_bn,category,unit,price,vat_rate,vat_mode,active,barcodes';
    const bad = `${header}\nRICE-5,Miniket rice 5 kg,মিনিকেট চাল,grocery,kg,450,0,,,\nSALT-1,Salt,লবণ,grocery,box,25,0,,,\n`;
    const input = await screen.findByLabelText('CSV file');
    await userEvent.upload(input, new File([bad], 'catalog.csv', { type: 'text/csv' }));
    expect(
      await screen.findByText('Problems: 1. Fix the file and preview again; nothing has been written.'),
    ).toBeVisible();
    expect(screen.getByRole('row', { name: /3 unit must be piece or kg/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Import these products/ })).toBeDisabled();

    const good = bad.replace(',box,', ',piece,');
    await userEvent.upload(input, new File([good], 'catalog.csv', { type: 'text/csv' }));
    const commit = await screen.findByRole('button', { name: 'Import these products (2)' });
    await waitFor(() => expect(commit).toBeEnabled());
    await userEvent.click(commit);
    expect(await screen.findByRole('status')).toHaveTextContent('Imported: 2 new, 0 changed.');
    expect(await screen.findByText('Miniket rice 5 kg')).toBeInTheDocument();
    expect(screen.getByText('মিনিকেট চাল')).toBeInTheDocument();
    expect(screen.getByText('৳450.00')).toBeInTheDocument();
  });

  it('draws a report from its typed columns, with its totals and in Bangla digits', async () => {
    const client = await signedIn('viewer');
    render(
      <LangProvider lang="bn">
        <ReportsPage client={client} />
      </LangProvider>,
    );
    const table = await screen.findByRole('table', { name: 'টেবিল' });
    const today = dhakaDay(Date.now());
    // Four sales of ৳300 each (three lines of ৳50, ৳100 and ৳150) arrived today.
    await waitFor(() => expect(table).toHaveTextContent('DHK01'));
    expect(table).toHaveTextContent(today.replace(/\d/g, (d) => String.fromCharCode(0x09e6 + Number(d))));
    const total = within(table).getAllByRole('row').at(-1)!;
    expect(total).toHaveTextContent('মোট');
    expect(total).toHaveTextContent('৳১,২০০.০০');
    expect(screen.getByRole('link', { name: 'CSV নামান' })).toHaveAttribute(
      'href',
      expect.stringContaining('/v1/reports/sales-by-day?'),
    );
  });

  it('finds a customer met at two branches as one, with both purchases', async () => {
    const a = await f.addTill('CTG01', 1);
    const b = await f.addTill('DHK01', 2);
    const customer = { phone: '+8801712000222', name: 'Shirin' };
    const atA = tillSource('CTG01', 1);
    const atB = tillSource('DHK01', 2);
    await sendBatches(api.queue, a.signer, [batchOf(atA, [saleEvent(atA, 1, { customer, offline: true })])]);
    await sendBatches(api.queue, b.signer, [
      batchOf(atB, [saleEvent(atB, 2, { customer: { ...customer, name: null } })]),
    ]);
    await drain(api.consumer);
    const client = await signedIn('viewer');
    render(
      <LangProvider lang="en">
        <CustomersPage client={client} />
      </LangProvider>,
    );
    await userEvent.type(screen.getByLabelText('Mobile number'), '01712-000222');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    const number = await screen.findByRole('button', { name: '01712-000222' });
    expect(screen.getAllByRole('row')).toHaveLength(2);
    expect(number.closest('tr')).toHaveTextContent('Shirin');
    expect(number.closest('tr')).toHaveTextContent('CTG01, DHK01');
    await userEvent.click(number);
    const purchases = await screen.findByRole('table', { name: 'Purchases' });
    expect(within(purchases).getAllByRole('row')).toHaveLength(3);
    expect(purchases).toHaveTextContent('CTG01-1-000001');
    expect(purchases).toHaveTextContent('DHK01-2-000001');
    expect(purchases).toHaveTextContent('taken offline');
    expect(screen.getByText(/2 purchases, ৳200.00 in all/)).toBeInTheDocument();
  });

  it('lets an admin set a branch’s offline limits, refusing what is not whole taka', async () => {
    const client = await signedIn('admin');
    render(
      <LangProvider lang="en">
        <BranchesPage client={client} admin />
      </LangProvider>,
    );
    const card = await waitFor(() => {
      const el = document.querySelector('[data-branch="DHK01"]');
      if (!el) throw new Error('no DHK01 yet');
      return el as HTMLElement;
    });
    const perSale = within(card).getByLabelText('Card, per sale (৳)');
    expect(perSale).toHaveValue('');
    await userEvent.type(perSale, '5000.50');
    await userEvent.click(within(card).getByRole('button', { name: 'Save' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent(
      'Card, per sale (৳): must be whole taka, or empty for no limit',
    );
    await userEvent.clear(perSale);
    await userEvent.type(perSale, '5,000');
    await userEvent.type(within(card).getByLabelText('bKash and Nagad, per till per day (৳)'), '20000');
    await userEvent.click(within(card).getByRole('button', { name: 'Save' }));
    expect(await within(card).findByRole('status')).toHaveTextContent('Saved.');
    const [row] = await f.t.db.query<{ settings: Record<string, unknown> }>(
      "SELECT settings FROM branches WHERE code = 'DHK01'",
    );
    expect(row!.settings).toMatchObject({
      offlineCardPerSaleTaka: 5000,
      offlineCardPerDayTaka: null,
      offlineMobilePerDayTaka: 20_000,
      maxDiscountWithoutManagerBps: 500,
    });
  });
});
