import { useCallback, useState, type FormEvent } from 'react';
import type { CatalogProduct, CatalogRowError, CatalogSource } from '../../../../shared/catalog-csv';
import { parseTaka } from '../../../../shared/money';
import { DHAKA_OFFSET_MS } from '../../../../shared/reports';
import type { OfficeClient } from '../api';
import { ApiError } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { useResource } from '../use-resource';
import { useTexts } from '../i18n';

interface ScheduledChange {
  readonly id: string;
  readonly effectiveAt: number;
  readonly price: number | null;
  readonly vatRate: number | null;
  readonly vatMode: 'inclusive' | 'exclusive' | null;
}
interface ProductRow extends CatalogProduct {
  readonly id: string;
  readonly scheduled: ScheduledChange[];
}
interface ImportPreview {
  readonly rows: {
    line: number;
    action: 'create' | 'update' | 'unchanged' | 'error';
    product: CatalogProduct | null;
    source: CatalogSource;
  }[];
  readonly errors: CatalogRowError[];
  readonly counts: { create: number; update: number; unchanged: number; error: number };
}

const EMPTY: CatalogProduct = {
  sku: '',
  nameEn: '',
  nameBn: '',
  category: '',
  unit: 'piece',
  price: 0,
  vatRate: 750,
  vatMode: 'inclusive',
  active: true,
  barcodes: [],
};

/** "2026-11-24T09:00" read as Dhaka time. */
export function dhakaInputToEpoch(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  return Date.parse(`${value}:00Z`) - DHAKA_OFFSET_MS;
}

function pct(bps: number): string {
  return String(bps / 100);
}

function ProductForm({
  client,
  product,
  onSaved,
}: {
  client: OfficeClient;
  product: ProductRow | null;
  onSaved: () => void;
}) {
  const { t } = useTexts();
  const start = product ?? { ...EMPTY, id: '', scheduled: [] };
  const [fields, setFields] = useState({
    sku: start.sku,
    nameEn: start.nameEn,
    nameBn: start.nameBn,
    category: start.category,
    unit: start.unit,
    price: product ? (start.price / 100).toFixed(2) : '',
    vatRate: pct(start.vatRate),
    vatMode: start.vatMode,
    active: start.active,
    barcodes: start.barcodes.join(' '),
  });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof fields) => (v: string | boolean) => setFields((f) => ({ ...f, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const price = parseTaka(fields.price);
    const vat = Number(fields.vatRate);
    if (price === null || price < 0) {
      setError(new ApiError(400, { code: 'invalid-field', field: 'price', reason: 'must be an amount in taka' }));
      return;
    }
    if (!Number.isFinite(vat) || vat < 0 || vat > 100) {
      setError(new ApiError(400, { code: 'invalid-field', field: 'vatRate', reason: 'must be a percentage' }));
      return;
    }
    const id = product?.id ?? crypto.randomUUID();
    try {
      await client.send('PUT', `/v1/admin/products/${id}`, {
        sku: fields.sku.trim(),
        nameEn: fields.nameEn.trim(),
        nameBn: fields.nameBn.trim(),
        category: fields.category.trim(),
        unit: fields.unit,
        price,
        vatRate: Math.round(vat * 100),
        vatMode: fields.vatMode,
        active: fields.active,
        barcodes: fields.barcodes.split(/\s+/).filter(Boolean),
      });
      setError(null);
      onSaved();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form
      className="card form-grid"
      onSubmit={(e) => void submit(e)}
      aria-label={product ? t('products.edit', { sku: product.sku }) : t('products.new')}
    >
      <h2>{product ? t('products.edit', { sku: product.sku }) : t('products.new')}</h2>
      <label>
        {t('products.sku')}
        <input value={fields.sku} onChange={(e) => set('sku')(e.target.value)} required />
      </label>
      <label>
        {t('products.nameEn')}
        <input value={fields.nameEn} onChange={(e) => set('nameEn')(e.target.value)} required />
      </label>
      <label>
        {t('products.nameBn')}
        <input value={fields.nameBn} onChange={(e) => set('nameBn')(e.target.value)} lang="bn" />
      </label>
      <label>
        {t('products.category')}
        <input value={fields.category} onChange={(e) => set('category')(e.target.value)} />
      </label>
      <label>
        {t('products.unit')}
        <select value={fields.unit} onChange={(e) => set('unit')(e.target.value)}>
          <option value="piece">{t('products.piece')}</option>
          <option value="kg">{t('products.kg')}</option>
        </select>
      </label>
      <label>
        {t('products.price')}
        <input value={fields.price} onChange={(e) => set('price')(e.target.value)} inputMode="decimal" required />
      </label>
      <label>
        {t('products.vatRate')}
        <input value={fields.vatRate} onChange={(e) => set('vatRate')(e.target.value)} inputMode="decimal" />
      </label>
      <label>
        {t('products.vatMode')}
        <select value={fields.vatMode} onChange={(e) => set('vatMode')(e.target.value)}>
          <option value="inclusive">{t('products.inclusive')}</option>
          <option value="exclusive">{t('products.exclusive')}</option>
        </select>
      </label>
      <label className="wide">
        {t('products.barcodes')}
        <input value={fields.barcodes} onChange={(e) => set('barcodes')(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={fields.active} onChange={(e) => set('active')(e.target.checked)} />
        {t('products.active')}
      </label>
      <ErrorNote error={error} />
      <div className="form-actions">
        <button type="submit" className="primary">
          {t('products.save')}
        </button>
      </div>
    </form>
  );
}

function PriceChangeForm({
  client,
  product,
  onSaved,
}: {
  client: OfficeClient;
  product: ProductRow;
  onSaved: () => void;
}) {
  const { t } = useTexts();
  const [price, setPrice] = useState((product.price / 100).toFixed(2));
  const [vatRate, setVatRate] = useState(pct(product.vatRate));
  const [when, setWhen] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = parseTaka(price);
    const effectiveAt = when ? dhakaInputToEpoch(when) : null;
    if (p === null || p < 0) {
      setError(new ApiError(400, { code: 'invalid-field', field: 'price', reason: 'must be an amount in taka' }));
      return;
    }
    try {
      const vat = Math.round(Number(vatRate) * 100);
      // Only what was changed, so a later price change leaves the VAT as it will be then.
      await client.send('POST', `/v1/admin/products/${product.id}/price-changes`, {
        ...(p !== product.price ? { price: p } : {}),
        ...(vat !== product.vatRate ? { vatRate: vat } : {}),
        ...(effectiveAt !== null ? { effectiveAt } : {}),
      });
      setError(null);
      onSaved();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label={t('products.priceChange')}>
      <h2>
        {t('products.priceChange')} · {product.sku}
      </h2>
      <label>
        {t('products.price')}
        <input value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" />
      </label>
      <label>
        {t('products.vatRate')}
        <input value={vatRate} onChange={(e) => setVatRate(e.target.value)} inputMode="decimal" />
      </label>
      <label>
        {t('products.effective')}
        <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        <span className="hint">
          {when ? '' : `${t('products.effectiveNow')}. `}
          {t('products.effectiveHint')}
        </span>
      </label>
      <ErrorNote error={error} />
      <div className="form-actions">
        <button type="submit" className="primary">
          {t('products.schedule')}
        </button>
      </div>
    </form>
  );
}

function ImportPanel({ client, onImported }: { client: OfficeClient; onImported: () => void }) {
  const { t, count } = useTexts();
  const [csv, setCsv] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function runPreview(text: string) {
    setDone(null);
    try {
      setPreview(await client.send<ImportPreview>('POST', '/v1/admin/products/import/preview', { csv: text }));
      setError(null);
    } catch (err) {
      setPreview(null);
      setError(err);
    }
  }

  async function commit() {
    try {
      const res = await client.send<{ counts: ImportPreview['counts'] }>('POST', '/v1/admin/products/import', { csv });
      setDone(t('products.importDone', { create: res.counts.create, update: res.counts.update }));
      setPreview(null);
      onImported();
    } catch (err) {
      const body = err instanceof ApiError ? (err.body as { preview?: ImportPreview } | null) : null;
      if (body?.preview) setPreview(body.preview);
      setError(err);
    }
  }

  const writes = preview ? preview.counts.create + preview.counts.update : 0;
  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title">{t('products.import')}</h2>
      <p className="hint">{t('products.importHelp')}</p>
      <label>
        {t('products.chooseFile')}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            void file.text().then((text) => {
              setCsv(text);
              void runPreview(text);
            });
          }}
        />
      </label>
      {csv && (
        <button type="button" onClick={() => void runPreview(csv)}>
          {t('products.preview')}
        </button>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      <ErrorNote error={error} />
      {preview && (
        <>
          {preview.errors.length > 0 && (
            <>
              <p className="error-note" role="alert">
                {t('products.importErrors', { n: preview.errors.length })}
              </p>
              <table className="import-errors">
                <thead>
                  <tr>
                    <th className="num">{t('products.col.line')}</th>
                    <th>{t('products.col.field')}</th>
                    <th>{t('products.col.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e, i) => (
                    <tr key={i}>
                      <td className="num">{count(e.line)}</td>
                      <td>
                        <code>{e.field}</code>
                      </td>
                      <td>{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <table className="import-preview">
            <thead>
              <tr>
                <th className="num">{t('products.col.line')}</th>
                <th>{t('products.col.action')}</th>
                <th>{t('products.sku')}</th>
                <th>{t('products.nameEn')}</th>
                <th>{t('products.nameBn')}</th>
                <th className="num">{t('products.price')}</th>
                <th className="num">{t('products.vatRate')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={r.line} className={`action-${r.action}`}>
                  <td className="num">{count(r.line)}</td>
                  <td>{t(`action.${r.action}`)}</td>
                  <td>{r.source.sku}</td>
                  <td>{r.source.nameEn}</td>
                  <td lang="bn">{r.source.nameBn}</td>
                  <td className="num">{r.product ? (r.product.price / 100).toFixed(2) : r.source.price}</td>
                  <td className="num">{r.product ? pct(r.product.vatRate) : r.source.vatRate}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="primary"
            disabled={preview.errors.length > 0 || writes === 0}
            onClick={() => void commit()}
          >
            {t('products.commit', { n: writes })}
          </button>
        </>
      )}
    </section>
  );
}

/**
 * The catalog: find a product, make or edit one, change its price or VAT now
 * or from a given moment, and import many from a spreadsheet's CSV.
 */
export function ProductsPage({ client, admin }: { client: OfficeClient; admin: boolean }) {
  const { t, money, time, count, digits, lang } = useTexts();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<ProductRow | 'new' | null>(null);
  const [pricing, setPricing] = useState<ProductRow | null>(null);
  const {
    data: list,
    error,
    reload,
    act,
  } = useResource(
    useCallback(
      () =>
        client.get<{ products: ProductRow[]; total: number }>(
          `/v1/office/products?limit=200&q=${encodeURIComponent(search)}`,
        ),
      [client, search],
    ),
  );

  const cancelChange = (id: string) => act(() => client.send('DELETE', `/v1/admin/price-changes/${id}`));

  const describe = (c: ScheduledChange) =>
    [
      c.price !== null ? money(c.price) : null,
      c.vatRate !== null ? `${t('products.vatRate').replace(' %', '')} ${digits(pct(c.vatRate))}%` : null,
    ]
      .filter(Boolean)
      .join(' · ');

  return (
    <section aria-labelledby="products-title">
      <div className="page-head">
        <h1 id="products-title">{t('products.title')}</h1>
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(q);
          }}
        >
          <input
            type="search"
            aria-label={t('common.search')}
            placeholder={t('common.search')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <button type="submit">{t('common.search')}</button>
        </form>
        {admin && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('products.new')}
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      {editing && (
        <ProductForm
          key={editing === 'new' ? 'new' : editing.id}
          client={client}
          product={editing === 'new' ? null : editing}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
      {pricing && (
        <PriceChangeForm
          key={pricing.id}
          client={client}
          product={pricing}
          onSaved={() => {
            setPricing(null);
            void reload();
          }}
        />
      )}
      {list && (
        <div className="card table-wrap">
          <p className="muted">{t('products.count', { n: count(list.total) })}</p>
          <table>
            <thead>
              <tr>
                <th>{t('products.sku')}</th>
                <th>{lang === 'bn' ? t('products.nameBn') : t('products.nameEn')}</th>
                <th>{t('products.category')}</th>
                <th>{t('products.unit')}</th>
                <th className="num">{t('products.price')}</th>
                <th className="num">{t('products.vatRate')}</th>
                <th>{t('products.active')}</th>
                {admin && <th>{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {list.products.map((p) => (
                <tr key={p.id} data-sku={p.sku}>
                  <td>{p.sku}</td>
                  <td>
                    {lang === 'bn' ? p.nameBn || p.nameEn : p.nameEn}
                    <div className="muted small">{lang === 'bn' ? p.nameEn : p.nameBn}</div>
                    {p.scheduled.map((c) => (
                      <div key={c.id} className="scheduled small">
                        {t('products.scheduled', { time: time(c.effectiveAt), what: describe(c) })}
                        {admin && (
                          <button type="button" className="link" onClick={() => void cancelChange(c.id)}>
                            {t('products.cancelChange')}
                          </button>
                        )}
                      </div>
                    ))}
                  </td>
                  <td>{p.category}</td>
                  <td>{p.unit === 'kg' ? t('products.kg') : t('products.piece')}</td>
                  <td className="num">{money(p.price)}</td>
                  <td className="num">
                    {digits(pct(p.vatRate))}% {p.vatMode === 'exclusive' ? `(${t('products.exclusive')})` : ''}
                  </td>
                  <td>{p.active ? t('common.yes') : t('common.no')}</td>
                  {admin && (
                    <td>
                      <div className="actions">
                        <button type="button" className="small" onClick={() => setEditing(p)}>
                          {t('products.edit', { sku: '' }).trim()}
                        </button>
                        <button type="button" className="small" onClick={() => setPricing(p)}>
                          {t('products.priceChange')}
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {admin && <ImportPanel client={client} onImported={() => void reload()} />}
    </section>
  );
}
