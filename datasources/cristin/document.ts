/**
 * The institusjonsdata document (`fridaImport`, specs/cristin-export.md "Today's format") as plain records and
 * the code that writes them. What goes into the records is decided in mapping.ts; this file only knows the
 * element names and their order, which follow Cerebrum's generate-cristin-export.py and the spec's template.
 */
import { keyOf, parentOf, type UnitKey } from './stedkode';
import type { Latin1XmlWriter } from './xml-writer';

export interface CristinInstitution {
  /** CRISTIN_INSTITUTION. */
  institusjonsnr: string;
  navnBokmal?: string | null;
  akronym?: string | null;
}

export interface CristinUnit {
  /** Cerebrum OU entity id (for logs and issues; not written). */
  ouId: string;
  stedkode: string;
  navnBokmal?: string | null;
  akronym?: string | null;
  telefonnr?: string | null;
  telefaxnr?: string | null;
  epost?: string | null;
  URLBokmal?: string | null;
}

export interface CristinEmployment {
  stedkode: string;
  stillingsbetegnelse?: string | null;
  datoFra?: string | null;
  datoTil?: string | null;
}

export interface CristinGuest {
  stedkode: string;
  gjestebetegnelse: string;
  datoFra?: string | null;
  datoTil?: string | null;
}

export interface CristinPerson {
  /** Cerebrum person entity id (for ordering, logs and issues; not written). */
  personId: string;
  fnr: string;
  /** `reservert="J"` hides the person from Cristin's public pages. Always false for now (see README). */
  reservert: boolean;
  etternavn: string;
  fornavn: string;
  personligTittel?: string | null;
  brukernavn?: string | null;
  telefonnr?: string | null;
  telefaxnr?: string | null;
  epost?: string | null;
  URL?: string | null;
  ansettelser: CristinEmployment[];
  gjester: CristinGuest[];
}

export interface DocumentHeader {
  /** `<kilde>`: the delivering system's tag. */
  kilde: string;
  /** `<dato>`: `YYYY-MM-DD HH:MM:SS`, local time. */
  dato: string;
  institution: CristinInstitution;
}

function writeKey(w: Latin1XmlWriter, inst: string, key: UnitKey, suffix = ''): void {
  w.element(`institusjonsnr${suffix}`, inst);
  w.element(`avdnr${suffix}`, key.avdnr);
  w.element(`undavdnr${suffix}`, key.undavdnr);
  w.element(`gruppenr${suffix}`, key.gruppenr);
}

/** `<?xml …?><fridaImport><beskrivelse/><institusjon/>`: leaves `fridaImport` open. */
export function writeHeader(w: Latin1XmlWriter, h: DocumentHeader): void {
  w.declaration();
  w.open('fridaImport');
  w.open('beskrivelse');
  w.element('kilde', h.kilde);
  w.element('dato', h.dato);
  w.close('beskrivelse');
  w.open('institusjon');
  w.element('institusjonsnr', h.institution.institusjonsnr);
  w.element('navnBokmal', h.institution.navnBokmal);
  w.element('akronym', h.institution.akronym);
  w.close('institusjon');
}

/**
 * One `<enhet>`. The `*Under` fields name the parent by the stedkode hierarchy whether or not the parent is in
 * the file (Cerebrum REST cannot always reach it; see README). datoAktivFra/datoAktivTil are left out: Cerebrum
 * has no such dates (seed 002: "Dato (brukes ikke av Cerebrum)"); the old script wrote made-up constants.
 */
export function writeUnit(w: Latin1XmlWriter, inst: string, u: CristinUnit): void {
  w.open('enhet');
  writeKey(w, inst, keyOf(u.stedkode));
  writeKey(w, inst, keyOf(parentOf(u.stedkode)), 'Under');
  w.element('navnBokmal', u.navnBokmal);
  w.element('akronym', u.akronym);
  w.element('telefonnr', u.telefonnr);
  w.element('telefaxnr', u.telefaxnr);
  w.element('epost', u.epost);
  w.element('URLBokmal', u.URLBokmal);
  w.close('enhet');
}

export function writePerson(w: Latin1XmlWriter, inst: string, p: CristinPerson): void {
  w.open('person', { fnr: p.fnr, reservert: p.reservert ? 'J' : 'N' });
  w.element('etternavn', p.etternavn);
  w.element('fornavn', p.fornavn);
  w.element('personligTittel', p.personligTittel);
  w.element('brukernavn', p.brukernavn);
  w.element('telefonnr', p.telefonnr);
  w.element('telefaxnr', p.telefaxnr);
  w.element('epost', p.epost);
  w.element('URL', p.URL);
  if (p.ansettelser.length > 0) {
    w.open('ansettelser');
    for (const a of p.ansettelser) {
      w.open('ansettelse');
      writeKey(w, inst, keyOf(a.stedkode));
      w.element('stillingsbetegnelse', a.stillingsbetegnelse);
      w.element('datoFra', a.datoFra);
      w.element('datoTil', a.datoTil);
      w.close('ansettelse');
    }
    w.close('ansettelser');
  }
  if (p.gjester.length > 0) {
    w.open('gjester');
    for (const g of p.gjester) {
      w.open('gjest');
      writeKey(w, inst, keyOf(g.stedkode));
      w.element('gjestebetegnelse', g.gjestebetegnelse);
      w.element('datoFra', g.datoFra);
      w.element('datoTil', g.datoTil);
      w.close('gjest');
    }
    w.close('gjester');
  }
  w.close('person');
}

/** Writes the whole document: header, every unit, every person, in the order given. */
export async function writeDocument(
  w: Latin1XmlWriter,
  h: DocumentHeader,
  units: Iterable<CristinUnit>,
  persons: Iterable<CristinPerson>,
): Promise<void> {
  const inst = h.institution.institusjonsnr;
  writeHeader(w, h);
  w.open('organisasjon');
  for (const u of units) {
    writeUnit(w, inst, u);
    await w.flush();
  }
  w.close('organisasjon');
  w.open('personer');
  for (const p of persons) {
    writePerson(w, inst, p);
    await w.flush();
  }
  w.close('personer');
  w.close('fridaImport');
  await w.end();
}
