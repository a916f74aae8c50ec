/**
 * The FS person profile (`PersonProfil`) and the shapes it is made of. They live here, below datasources/, because
 * a `Person` carries the profile it was mapped from (person.type.ts `fsProfile`); datasources/fs/types.ts
 * re-exports them with the rest of the FS shapes, so code against the FS source keeps importing them from there.
 *
 * Dates are ISO `YYYY-MM-DD`; a null end date is open-ended.
 */

/** Texts in every language FS has (`navnAlleSprak { nb nn en }`). */
export interface FsText {
  nb: string | null;
  nn: string | null;
  en: string | null;
}

/**
 * An FS organisation unit (`organisasjonsenhet { institusjonsnr faknr instituttnr gruppenr navnAlleSprak }`).
 * `stedkode` is the six-digit `FFIIGG` Cerebrum uses for the same unit (e.g. '162000').
 */
export interface FsUnit {
  institution: number;
  faculty: number;
  institute: number;
  group: number;
  /** FFIIGG, zero-padded: faknr, instituttnr, gruppenr. */
  stedkode: string;
  name: FsText | null;
}

/** An address (`postadresse`, `semesteradresse`, `arbeidsadresse`, EVU `jobbadresse` / `hjemadresse`). */
export interface FsAddress {
  /** `adresselinjer` */
  lines: string[];
  /** `postnummer` */
  postalCode: string | null;
  /** `poststed` */
  city: string | null;
  /** `landkode`, ISO 3166-1 alpha-2; 'NO' for Norway. Seed 2.4: no letters abroad. */
  country: string;
}

/** `fagperson { … }` on a person profile: the person as teaching staff. */
export interface FsStaffProfile {
  /** `erAktiv` */
  active: boolean;
  /** `ansattVed { …stedkode parts }` */
  employedAt: FsUnit | null;
  /** `stillingstittelAlleSprak` */
  title: FsText | null;
  /** `arbeidsadresse` (seed 1.0: staff get their work address, else the home address). */
  workAddress: FsAddress | null;
}

/** `PersonProfil` (`personProfiler`). */
export interface FsPersonProfile {
  /** `id`: FS's opaque node id. */
  id: string;
  /** `personlopenummer`: FS's person number; the gateway's global id is `fs:<personNumber>`. */
  personNumber: string;
  /** `fodselsdato` */
  birthDate: string | null;
  /** `fodselsnummer` (11 digits). Personal data: never log it unmasked. */
  nationalId: string | null;
  /** `kjonn`: 'M' | 'K' (mann/kvinne) as FS has it. */
  gender: string | null;
  /** `navn { fornavn }` */
  firstName: string | null;
  /** `navn { etternavn }` */
  lastName: string | null;
  /** `privatEpost` */
  privateEmail: string | null;
  /** `institusjonsEpost` */
  institutionEmail: string | null;
  /** `arbeidsEpost` */
  workEmail: string | null;
  /** `mobilTelefon` */
  mobilePhone: string | null;
  /** `feideBruker` (e.g. 'olanor@uio.no') */
  feideUser: string | null;
  /** `maalform` (seed 2.4 `sprakkode_malform`): 'BOKMÅL', 'NYNORSK', 'ENGELSK', 'UKJENT', … */
  language: string | null;
  /** `postadresse`: the person's home address (seed: "hjemstedsadresse fra FS.person"). */
  homeAddress: FsAddress | null;
  /** `fagperson`: set when the person is registered as teaching staff. */
  staff: FsStaffProfile | null;
}
