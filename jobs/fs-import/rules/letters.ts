/**
 * Seed 001, 2.4: the paper letter to new users.
 *
 *   "Det sendes brev til alle automatisk byggede brukere. Brevet sendes til semesteradressen hvis denne finnes.
 *    Hvis ikke, sendes det til hjemstedsadressen. Brev sendes ikke ut av landet."
 *   "de personene hvis sprakkode_malform <> (BOKMÅL || NYNORSK) får brev på engelsk. Brev på nynorsk vil bli
 *    laget før semesterstart."
 *
 * Interpretations:
 *  - "Automatisk byggede brukere" = users this import builds: a student (2.0) without an account.
 *  - The address is chosen first (semester if it exists, else home) and then checked: a chosen address abroad
 *    means no letter. We do not fall back to a Norwegian home address when the semester address is abroad: the
 *    seed picks the address by existence, and the student lives at the semester address during the term.
 *  - Abroad = a country code other than NO (missing = Norway, FS's default).
 *  - Language: BOKMÅL → nb, NYNORSK → nn (the seed says nynorsk letters will exist), anything else → en.
 *    ASCII spellings (BOKMAL) count as BOKMÅL.
 */
import type { FsPersonDecision, FsPersonInput, FsRulesAddress } from './model';

type FsDecisionLetter = FsPersonDecision['letter'];

export function letterLanguage(maalform: string | null): 'nb' | 'nn' | 'en' {
  const m = (maalform ?? '').trim().toUpperCase();
  if (m === 'BOKMÅL' || m === 'BOKMAL') return 'nb';
  if (m === 'NYNORSK') return 'nn';
  return 'en';
}

export function isAbroad(a: FsRulesAddress): boolean {
  const c = (a.country ?? '').trim().toUpperCase();
  return c !== '' && c !== 'NO' && c !== 'NOR' && c !== 'NORGE' && c !== 'NORWAY';
}

export function letter(p: FsPersonInput, newUser: boolean): FsDecisionLetter {
  const language = letterLanguage(p.maalform);
  if (!newUser)
    return {
      send: false,
      language,
      addressKind: null,
      address: null,
      reason: '2.4: no letter: no user is built for this person',
    };
  const semester = p.addresses.semester ?? null;
  const home = p.addresses.home ?? null;
  const addressKind = semester ? 'SEMESTER' : home ? 'HOME' : null;
  const address = semester ?? home;
  if (!address || !addressKind)
    return {
      send: false,
      language,
      addressKind: null,
      address: null,
      reason: '2.4: no letter: neither semester nor home address',
    };
  if (isAbroad(address)) {
    return {
      send: false,
      language,
      addressKind,
      address,
      reason: `2.4: no letter: the ${addressKind === 'SEMESTER' ? 'semester' : 'home'} address is abroad (${address.country}); "Brev sendes ikke ut av landet"`,
    };
  }
  return {
    send: true,
    language,
    addressKind,
    address,
    reason: `2.4: letter in ${language} to the ${addressKind === 'SEMESTER' ? 'semester' : 'home'} address`,
  };
}
