// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import '@testing-library/jest-dom/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProductView } from '../../shared/pos-api';
import { cartOf, fakeApi } from '../testing/fake-api';
import { parseScan, ScanBox } from './ScanBox';

afterEach(cleanup);

const products = [
  { id: 'dal', nameEn: 'Masoor Dal', nameBn: 'মসুর ডাল', unit: 'kg', price: 13_500, vatRate: 500, barcode: null },
  { id: 'muri', nameEn: 'Puffed Rice', nameBn: 'মুড়ি', unit: 'piece', price: 6_000, vatRate: 0, barcode: null },
] as unknown as ProductView[];

describe('the scan field', () => {
  it('reads a scan, with an optional quantity before a star', () => {
    expect(parseScan('8941100500019')).toEqual({ barcode: '8941100500019' });
    expect(parseScan(' 3*8941100500019 ')).toEqual({ barcode: '8941100500019', quantity: 3000 });
    expect(parseScan('১.২৫*2000000000017')).toEqual({ barcode: '2000000000017', quantity: 1250 });
    expect(parseScan('dal')).toBeNull();
    expect(parseScan('মসুর')).toBeNull();
  });

  it('sends what a scanner types on Enter and shows the cart it gets back', async () => {
    const cart = cartOf([{ nameEn: 'Lux Soap', price: 5_500 }]);
    const f = fakeApi({ 'sale:scan': () => ({ ok: true, value: cart }) });
    const onCart = vi.fn();
    render(<ScanBox api={f.api} onCart={onCart} />);
    const input = screen.getByRole('combobox', { name: 'Scan a barcode or type a name' });
    expect(input).toHaveFocus();
    await userEvent.type(input, '3*8941100500026{Enter}');
    await waitFor(() => expect(onCart).toHaveBeenCalledWith(cart, 'scan'));
    expect(f.callsTo('sale:scan')).toEqual([{ barcode: '8941100500026', quantity: 3000 }]);
    expect(input).toHaveValue('');
  });

  it('says an unknown barcode is unknown, next to the field, and leaves the cart alone', async () => {
    const f = fakeApi({
      'sale:scan': () => ({
        ok: false,
        error: {
          code: 'unknown-barcode',
          field: 'barcode',
          reason: 'No product has barcode 123. The cart is unchanged.',
        },
      }),
    });
    const onCart = vi.fn();
    render(<ScanBox api={f.api} onCart={onCart} />);
    const input = screen.getByRole('combobox');
    await userEvent.type(input, '123{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('No product has barcode 123. The cart is unchanged.');
    expect(input).toHaveAttribute('aria-describedby', alert.id);
    expect(onCart).not.toHaveBeenCalled();
  });

  it('searches a Bangla name as it is typed; arrow keys and Enter add the one chosen', async () => {
    const cart = cartOf([{ nameEn: 'Puffed Rice', price: 6_000 }]);
    const f = fakeApi({
      'sale:search': () => ({ ok: true, value: products }),
      'sale:add': () => ({ ok: true, value: cart }),
    });
    const onCart = vi.fn();
    render(<ScanBox api={f.api} onCart={onCart} />);
    await userEvent.type(screen.getByRole('combobox'), 'মু');
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      expect.stringContaining('Masoor Dal'),
      expect.stringContaining('Puffed Rice'),
    ]);
    expect(f.callsTo('sale:search').at(-1)).toEqual({ query: 'মু', limit: 8 });
    await userEvent.keyboard('{ArrowDown}');
    expect(screen.getAllByRole('option')[1]).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(onCart).toHaveBeenCalledWith(cart, 'search'));
    expect(f.callsTo('sale:add')).toEqual([{ productId: 'muri' }]);
  });
});
