/**
 * Seed 001, 2.3: printer quotas. "bare de studentene som har betalt papiravgiften får utskriftskvote — alle andre
 * får nullkvote". The fee is paid when an invoice (fakturareskontro) of the current term has
 *
 *   - a line (fakturareskontrodetalj.fakturadetaljtypekode) 'PAPIRHEL', 'PAPIRDEL' or 'PAPIRPPU',
 *   - status_betalt = 'J',
 *   - terminkode and arstall = the current term,
 *   - fakturastatuskode = 'OPPGJORT'.
 *
 * Only students get a quota: a person who paid but is not a student (2.0) gets the zero quota too.
 */
import type { FsPersonInput, Term } from './model';
import { sameTerm } from './terms';

export interface PrinterQuotaVerdict {
  quota: boolean;
  /** The fee type paid (the first found), null when none. */
  paidType: string | null;
  reason: string;
}

export function printerQuota(
  p: FsPersonInput,
  feeTypes: readonly string[],
  term: Term,
  student: boolean,
): PrinterQuotaVerdict {
  let paidType: string | null = null;
  for (const inv of p.invoices) {
    if (!sameTerm(inv.term, term) || !inv.paid || inv.status !== 'OPPGJORT') continue;
    const t = inv.lineTypes.find((x) => feeTypes.includes(x));
    if (t) {
      paidType = t;
      break;
    }
  }
  if (!paidType)
    return {
      quota: false,
      paidType: null,
      reason: `2.3: papiravgift not paid for ${term.name} ${term.year} (status_betalt J, OPPGJORT, ${feeTypes.join('/')}): nullkvote`,
    };
  if (!student) return { quota: false, paidType, reason: `2.3: ${paidType} paid, but not a student: nullkvote` };
  return { quota: true, paidType, reason: `2.3: ${paidType} paid for ${term.name} ${term.year}: utskriftskvote` };
}
