import { normalizeBdMobile } from '../../shared/phone';
import { fail, ok, type Result } from '../../shared/result';
import type { SaleDraft } from '../../shared/sale-draft';

export interface CustomerInput {
  /** As typed; null takes the customer off the sale. */
  readonly phone: string | null;
  readonly name?: string | null;
}

/** Puts the customer's mobile number (and name, if given) on the sale being rung up. */
export function setCustomer(draft: SaleDraft, input: CustomerInput): Result<SaleDraft> {
  if (input.phone === null) return ok({ ...draft, customer: null });
  const phone = normalizeBdMobile(input.phone, 'phone');
  if (!phone.ok) return phone;
  const name = input.name?.trim().replace(/\s+/g, ' ') || null;
  if (name !== null && name.length > 100) return fail('invalid-name', 'name', 'A name is at most 100 characters.');
  return ok({ ...draft, customer: { phone: phone.value, name } });
}
