import { formatDhakaTime, formatTaka } from './format';

/**
 * What the receipt's QR code holds: the receipt number and total, in plain
 * text any phone's camera shows as it is, so that a customer keeps a receipt
 * when the printer is out of paper. ASCII only (BDT, not ৳): every scanner
 * reads it the same way.
 */
export function receiptQrText(r: {
  readonly receiptNo: string;
  readonly total: number;
  readonly completedAt: number;
  readonly shop: string;
}): string {
  return [
    `${r.shop} receipt ${r.receiptNo}`,
    `Total BDT ${formatTaka(r.total, { symbol: false })}`,
    `${formatDhakaTime(r.completedAt)} Dhaka`,
  ].join('\n');
}
