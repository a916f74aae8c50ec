/**
 * Danish CPR numbers for `Person/CivilRegistrationNumber` (seed 003: "Kun gyldige CPR-numre forventes"; the field
 * is optional and UNI-Login uses it to find a person's existing login).
 *
 * What is checked is the LOS import's rule (datasources/los/values.ts `parseCpr`): ten digits (DDMMYYXXXX; the
 * seed's DDMMYY-XXXX form is accepted and sent without the hyphen) whose date part is a calendar day under
 * CPR-kontoret's century rule for the 7th digit. Modulus 11 is NOT checked: CPR numbers issued since 2007 need
 * not satisfy it.
 */
import { parseCpr } from '../los/values';
import { isNationalIdValue } from '../../core/national-ids';

/** The CPR as ten digits, or null when the value is not a valid Danish CPR number. */
export function validCpr(value: string | null | undefined): string | null {
  const v = (value ?? '').trim().replace(/^(\d{6})-(\d{4})$/, '$1$2');
  return parseCpr(v).ok ? v : null;
}

/** True for anything shaped like a national id (core/national-ids.ts): such a value must never become a LocalPersonId. */
export function looksLikeCpr(value: string): boolean {
  return isNationalIdValue(value);
}
