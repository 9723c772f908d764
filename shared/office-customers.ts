/**
 * Head office's view of customers, as the API answers it and the web app
 * draws it. One customer per mobile number (+8801XXXXXXXXX), whichever tills
 * and branches met them; money in poisha, times in Unix milliseconds.
 */
export interface OfficeCustomer {
  readonly phone: string;
  readonly name: string | null;
  readonly firstSaleAt: number;
  readonly lastSaleAt: number;
  readonly firstBranch: string;
  /** Sales not voided. */
  readonly visits: number;
  /** Their totals, less what was refunded. */
  readonly spent: number;
  readonly branches: readonly string[];
}

export interface OfficeCustomerPurchase {
  readonly saleId: string;
  readonly receiptNo: string;
  readonly branch: string;
  readonly till: number;
  readonly completedAt: number;
  readonly total: number;
  readonly refunded: number;
  readonly voided: boolean;
  readonly offline: boolean;
  /** The manager who let card or mobile money over the branch's offline cap through, by name and code. */
  readonly approvedBy: string | null;
}

export interface OfficeCustomerDetail {
  readonly customer: OfficeCustomer;
  readonly purchases: readonly OfficeCustomerPurchase[];
}
