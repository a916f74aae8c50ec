/**
 * The FS GraphQL API as the simulator serves it: the schema (FS field names from specs/fs.md) and resolvers
 * over live FsData. Relay pagination on every list (`first`/`after`, `edges { cursor node }`, `nodes`,
 * `pageInfo`, `totalCount`); filters take lists (`personlopenumre`, `fodselsnumre`, `studentnumre`) as FS does.
 * `onField` is called once per resolved root field (the simulator's per-field request counter).
 */
import { buildSchema, GraphQLError, type GraphQLSchema } from 'graphql';
import type {
  FsData,
  SimAddress,
  SimCourse,
  SimFsPerson,
  SimProgramme,
  SimStudyRight,
  SimTerm,
  SimText,
} from './data/fs-types';

const conn = (name: string) => `
  type ${name}Edge { cursor: String! node: ${name}! }
  type ${name}Connection { edges: [${name}Edge!]! nodes: [${name}!]! pageInfo: PageInfo! totalCount: Int! }`;

const PAGE_ARGS = 'first: Int, after: String';

export const FS_SDL = `
  type Query {
    personProfiler(filter: PersonProfilFilter, ${PAGE_ARGS}): PersonProfilConnection!
    studenterGittStudentnumre(eierOrganisasjonskode: String!, studentnumre: [String!]!): [Student!]!
    programStudieretter(filter: ProgramStudierettFilter!, ${PAGE_ARGS}): ProgramStudierettConnection!
    studieprogrammer(filter: EierFilter!, ${PAGE_ARGS}): StudieprogramConnection!
    emner(filter: EmneFilter!, ${PAGE_ARGS}): EmneConnection!
    terminer(filter: EierFilter, ${PAGE_ARGS}): TerminConnection!
    semesterregistreringer(filter: TerminFilter!, ${PAGE_ARGS}): SemesterregistreringConnection!
    vurderingsmeldinger(filter: TerminFilter!, ${PAGE_ARGS}): VurderingsmeldingConnection!
    undervisningsfagpersoner(filter: TerminFilter!, ${PAGE_ARGS}): UndervisningsfagpersonConnection!
    evuKurs(filter: EierFilter!, ${PAGE_ARGS}): EvuKursConnection!
    evuKursdeltakelser(filter: EvuKursdeltakelseFilter!, ${PAGE_ARGS}): EvuKursdeltakelseConnection!
    fakturaer(filter: FakturaFilter!, ${PAGE_ARGS}): FakturaConnection!
    organisasjonsenheter(filter: OrganisasjonsenhetFilter!, ${PAGE_ARGS}): OrganisasjonsenhetConnection!
  }

  enum AktivStatus { AKTIV INAKTIV ALLE }
  input TerminInput { arstall: Int!, betegnelse: String! }
  input OrganisasjonsenhetInput { institusjonsnr: Int!, faknr: Int!, instituttnr: Int!, gruppenr: Int! }
  input EierFilter { eierOrganisasjonskode: String! }
  input PersonProfilFilter {
    eierOrganisasjonskode: String, personlopenumre: [String!], fodselsnumre: [String!], navn: String,
    organisasjonsenhet: OrganisasjonsenhetInput
  }
  input ProgramStudierettFilter {
    eierOrganisasjonskode: String!, aktivStatus: AktivStatus = ALLE, personlopenumre: [String!], studieprogramkoder: [String!]
  }
  input EmneFilter { eierOrganisasjonskode: String!, koder: [String!] }
  input TerminFilter { eierOrganisasjonskode: String!, termin: TerminInput! }
  input EvuKursInput { kode: String!, tidskode: String! }
  input EvuKursdeltakelseFilter { eierOrganisasjonskode: String!, kurs: EvuKursInput }
  input FakturaFilter { eierOrganisasjonskode: String!, termin: TerminInput, fakturadetaljtyper: [String!] }
  input OrganisasjonsenhetFilter { eierOrganisasjonskode: String!, stedkoder: [String!] }

  type PageInfo { endCursor: String, hasNextPage: Boolean!, startCursor: String, hasPreviousPage: Boolean! }
  type SprakTekst { nb: String, nn: String, en: String }
  type Kode { kode: String! }
  type Termin { arstall: Int!, betegnelse: String!, startdato: String, sluttdato: String }
  type Adresse { adresselinjer: [String!]!, postnummer: String, poststed: String, landkode: String! }
  type Organisasjonsenhet { institusjonsnr: Int!, faknr: Int!, instituttnr: Int!, gruppenr: Int!, navnAlleSprak: SprakTekst }
  type Navn { fornavn: String, etternavn: String }
  type Fagperson { erAktiv: Boolean!, ansattVed: Organisasjonsenhet, stillingstittelAlleSprak: SprakTekst, arbeidsadresse: Adresse }
  type PersonProfil {
    id: ID!, personlopenummer: String!, fodselsdato: String, fodselsnummer: String, kjonn: String, navn: Navn!
    privatEpost: String, institusjonsEpost: String, arbeidsEpost: String, mobilTelefon: String, feideBruker: String
    maalform: String, postadresse: Adresse, fagperson: Fagperson
  }
  type Semesterregistrering { studentnummer: String!, personProfil: PersonProfil!, termin: Termin!, regformkode: String!, registrertDato: String }
  type Student {
    id: ID!, studentnummer: String!, personProfil: PersonProfil!, semesteradresse: Adresse
    semesterregistreringer(${PAGE_ARGS}): SemesterregistreringConnection!
  }
  type Studieprogram {
    kode: String!, navnAlleSprak: SprakTekst!, studieniva: Kode!, organisasjonsenhet: Organisasjonsenhet!
    "status_utdplan = J: the programme's students need a confirmed education plan."
    statusUtdanningsplan: Boolean!
    emner: [Emne!]!
  }
  type Emne {
    kode: String!, versjonskode: String!, navnAlleSprak: SprakTekst!, studieniva: Kode!, organisasjonsenhet: Organisasjonsenhet!
    studieprogrammer: [Studieprogram!]!
  }
  type Kull { termin: Termin! }
  type Planbekreftelse { termin: Termin!, datoBekreftet: String! }
  type Utdanningsplan { startTermin: Termin, bekreftelser: [Planbekreftelse!]! }
  type ProgramStudierett {
    id: ID!, personProfil: PersonProfil!, studentnummer: String, studieprogram: Studieprogram!, kull: Kull
    studierettstatus: Kode!, gyldigFra: String, gyldigTil: String, aktiv: Boolean!
    begrensetTilEmner: [Emne!]!, utdanningsplan: Utdanningsplan
  }
  type Vurderingsmelding { studentnummer: String!, personProfil: PersonProfil!, emne: Emne!, termin: Termin!, studieprogram: Studieprogram }
  type Undervisningsfagperson { personProfil: PersonProfil!, termin: Termin!, emne: Emne, organisasjonsenhet: Organisasjonsenhet!, rolle: Kode! }
  type EvuKurs {
    kode: String!, tidskode: String!, navnAlleSprak: SprakTekst!, startdato: String, sluttdato: String
    "status_nettbasert_und = J"
    statusNettbasertUndervisning: Boolean!
    organisasjonsenhet: Organisasjonsenhet
    deltakere(${PAGE_ARGS}): EvuKursdeltakelseConnection!
  }
  type EvuKursdeltakelse {
    kurs: EvuKurs!, personProfil: PersonProfil!, deltakernummer: String, jobbadresse: Adresse, hjemadresse: Adresse, status: Kode!
  }
  type Fakturadetalj { fakturadetaljtype: Kode!, belop: Float! }
  type Faktura {
    fakturanummer: String!, personProfil: PersonProfil!, termin: Termin!, statusBetalt: Boolean!, fakturastatus: Kode!
    fakturadetaljer: [Fakturadetalj!]!
  }
  ${[
    'PersonProfil',
    'ProgramStudierett',
    'Studieprogram',
    'Emne',
    'Termin',
    'Semesterregistrering',
    'Vurderingsmelding',
    'Undervisningsfagperson',
    'EvuKurs',
    'EvuKursdeltakelse',
    'Faktura',
    'Organisasjonsenhet',
  ]
    .map(conn)
    .join('\n')}
`;

/** Largest page FS hands out; a bigger `first` is refused with an error, as FS does. */
export const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

const cursorOf = (i: number) => Buffer.from(`arrayconnection:${i}`).toString('base64');
function offsetAfter(after: string | null | undefined): number {
  if (after == null) return 0;
  const m = /^arrayconnection:(\d+)$/.exec(Buffer.from(after, 'base64').toString());
  if (!m) throw new GraphQLError(`Invalid cursor "${after}"`);
  return Number(m[1]) + 1;
}

/**
 * Rows of `rows` by the value of `key` (first row wins, as `find` would). Cached per array and key, and rebuilt
 * when the array's length changes — the data is live and tests add rows — so look-ups stay O(1) at 20,000 students.
 */
type Index = { length: number; map: Map<unknown, unknown> };
const indexes = new WeakMap<object, Map<string, Index>>();
function indexed<T, K extends keyof T>(rows: T[], key: K): Map<T[K], T> {
  let byKey = indexes.get(rows);
  if (!byKey) indexes.set(rows, (byKey = new Map<string, Index>()));
  let entry = byKey.get(String(key));
  if (!entry || entry.length !== rows.length) {
    const map = new Map<unknown, unknown>();
    for (const r of rows) if (!map.has(r[key])) map.set(r[key], r);
    entry = { length: rows.length, map };
    byKey.set(String(key), entry);
  }
  return entry.map as Map<T[K], T>;
}

/** One page of `items`; `map` (when given) builds the answer objects of that page only, not of every row. */
function page<T, U = T>(items: T[], args: { first?: number | null; after?: string | null }, map?: (item: T) => U) {
  const first = args.first ?? DEFAULT_PAGE;
  if (first < 0 || first > MAX_PAGE) throw new GraphQLError(`first must be between 0 and ${MAX_PAGE}, got ${first}`);
  const start = offsetAfter(args.after);
  const raw = items.slice(start, start + first);
  const slice = map ? raw.map((x) => map(x)) : (raw as unknown as U[]);
  return {
    edges: slice.map((node, i) => ({ cursor: cursorOf(start + i), node })),
    nodes: slice,
    pageInfo: {
      startCursor: slice.length ? cursorOf(start) : null,
      endCursor: slice.length ? cursorOf(start + slice.length - 1) : null,
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
    },
    totalCount: items.length,
  };
}

const nodeId = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString('base64');
const sameTerm = (a: SimTerm, b: { arstall: number; betegnelse: string }) =>
  a.arstall === b.arstall && a.betegnelse === b.betegnelse;
const ENDED = new Set(['FULLFØRT', 'AVBRUTT']);

export function buildFsSchema(): GraphQLSchema {
  return buildSchema(FS_SDL);
}

/** Root resolvers over `getData()` (read on every call, so a test may replace or mutate the data). */
export function fsRootValue(getData: () => FsData, onField: (field: string) => void): Record<string, unknown> {
  const d = getData;
  const ownerOk = (eier: string | null | undefined) => eier == null || eier === String(d().institusjonsnr);

  const unit = (stedkode: string | null) => {
    if (!stedkode) return null;
    const u = indexed(d().units, 'stedkode').get(stedkode);
    return {
      institusjonsnr: d().institusjonsnr,
      faknr: Number(stedkode.slice(0, 2)),
      instituttnr: Number(stedkode.slice(2, 4)),
      gruppenr: Number(stedkode.slice(4, 6)),
      navnAlleSprak: u?.navn ?? null,
    };
  };
  const address = (a: SimAddress | null) => a;
  const text = (t: SimText) => t;
  const termin = (t: SimTerm) => {
    const info = d().terminer.find((x) => sameTerm(x, t));
    return { ...t, startdato: info?.startdato ?? null, sluttdato: info?.sluttdato ?? null };
  };
  const personOf = (plnr: string) => {
    const p = indexed(d().persons, 'personlopenummer').get(plnr);
    if (!p) throw new GraphQLError(`Internal error: no person ${plnr}`);
    return p;
  };
  const profile = (p: SimFsPerson) => ({
    id: nodeId('PersonProfil', p.personlopenummer),
    personlopenummer: p.personlopenummer,
    fodselsdato: p.fodselsdato,
    fodselsnummer: p.fodselsnummer,
    kjonn: p.kjonn,
    navn: { fornavn: p.fornavn, etternavn: p.etternavn },
    privatEpost: p.privatEpost,
    institusjonsEpost: p.institusjonsEpost,
    arbeidsEpost: p.arbeidsEpost,
    mobilTelefon: p.mobilTelefon,
    feideBruker: p.feideBruker,
    maalform: p.maalform,
    postadresse: address(p.postadresse),
    fagperson: p.fagperson
      ? {
          erAktiv: p.fagperson.erAktiv,
          ansattVed: unit(p.fagperson.ansattVed),
          stillingstittelAlleSprak: p.fagperson.stillingstittel,
          arbeidsadresse: p.fagperson.arbeidsadresse,
        }
      : null,
  });
  const course = (c: SimCourse): Record<string, unknown> => ({
    kode: c.kode,
    versjonskode: c.versjonskode,
    navnAlleSprak: text(c.navn),
    studieniva: { kode: c.studieniva },
    organisasjonsenhet: unit(c.stedkode),
    studieprogrammer: () =>
      d()
        .programmes.filter((p) => p.emner.includes(c.kode))
        .map(programme),
  });
  const courseByCode = (kode: string) => {
    const c = indexed(d().courses, 'kode').get(kode);
    return c
      ? course(c)
      : {
          kode,
          versjonskode: '1',
          navnAlleSprak: { nb: kode, nn: null, en: null },
          studieniva: { kode: '' },
          organisasjonsenhet: unit('900000'),
          studieprogrammer: [],
        };
  };
  const programme = (p: SimProgramme): Record<string, unknown> => ({
    kode: p.kode,
    navnAlleSprak: text(p.navn),
    studieniva: { kode: p.studieniva },
    organisasjonsenhet: unit(p.stedkode),
    statusUtdanningsplan: p.statusUtdanningsplan,
    emner: () => p.emner.map(courseByCode),
  });
  const programmeByCode = (kode: string) => {
    const p = indexed(d().programmes, 'kode').get(kode);
    if (!p) throw new GraphQLError(`Internal error: no programme ${kode}`);
    return programme(p);
  };
  const isActive = (r: SimStudyRight) =>
    !ENDED.has(r.status) &&
    (r.gyldigFra == null || r.gyldigFra <= d().today) &&
    (r.gyldigTil == null || r.gyldigTil >= d().today);
  const studyRight = (r: SimStudyRight) => ({
    id: r.id,
    personProfil: profile(personOf(r.personlopenummer)),
    studentnummer: personOf(r.personlopenummer).studentnummer,
    studieprogram: programmeByCode(r.studieprogramkode),
    kull: r.kull ? { termin: termin(r.kull) } : null,
    studierettstatus: { kode: r.status },
    gyldigFra: r.gyldigFra,
    gyldigTil: r.gyldigTil,
    aktiv: isActive(r),
    begrensetTilEmner: r.begrensetTilEmner.map(courseByCode),
    utdanningsplan: r.utdanningsplan
      ? {
          startTermin: r.utdanningsplan.startTermin ? termin(r.utdanningsplan.startTermin) : null,
          bekreftelser: r.utdanningsplan.bekreftelser.map((b) => ({
            termin: termin(b.termin),
            datoBekreftet: b.datoBekreftet,
          })),
        }
      : null,
  });
  const semreg = (s: FsData['semesterRegistrations'][number]) => {
    const p = personOf(s.personlopenummer);
    return {
      studentnummer: p.studentnummer ?? '',
      personProfil: profile(p),
      termin: termin(s.termin),
      regformkode: s.regformkode,
      registrertDato: s.registrertDato,
    };
  };
  const evuCourse = (k: FsData['evuCourses'][number]): Record<string, unknown> => ({
    kode: k.kode,
    tidskode: k.tidskode,
    navnAlleSprak: text(k.navn),
    startdato: k.startdato,
    sluttdato: k.sluttdato,
    statusNettbasertUndervisning: k.statusNettbasertUndervisning,
    organisasjonsenhet: unit(k.stedkode),
    deltakere: (args: { first?: number; after?: string }) =>
      page(
        d().evuParticipations.filter((x) => x.kurskode === k.kode && x.tidskode === k.tidskode),
        args,
        evuParticipation,
      ),
  });
  const evuParticipation = (x: FsData['evuParticipations'][number]) => ({
    kurs: () => evuCourse(d().evuCourses.find((k) => k.kode === x.kurskode && k.tidskode === x.tidskode)!),
    personProfil: profile(personOf(x.personlopenummer)),
    deltakernummer: x.deltakernummer,
    jobbadresse: x.jobbadresse,
    hjemadresse: x.hjemadresse,
    status: { kode: x.status },
  });
  const requireOwner = (eier: string) => {
    if (!ownerOk(eier))
      throw new GraphQLError(`Ingen tilgang til eierOrganisasjonskode ${eier}`, { extensions: { code: 'FORBIDDEN' } });
  };
  const byNumber = (a: SimFsPerson, b: SimFsPerson) => Number(a.personlopenummer) - Number(b.personlopenummer);
  const counted =
    <A>(field: string, fn: (args: A) => unknown) =>
    (args: A) => {
      onField(field);
      return fn(args);
    };

  type PageArgs = { first?: number | null; after?: string | null };
  type TerminArgs = PageArgs & { filter: { eierOrganisasjonskode: string; termin: SimTerm } };

  return {
    personProfiler: counted(
      'personProfiler',
      (
        a: PageArgs & {
          filter?: {
            eierOrganisasjonskode?: string;
            personlopenumre?: string[];
            fodselsnumre?: string[];
            navn?: string;
            organisasjonsenhet?: { institusjonsnr: number; faknr: number; instituttnr: number; gruppenr: number };
          };
        },
      ) => {
        const f = a.filter ?? {};
        if (!ownerOk(f.eierOrganisasjonskode)) return page([], a);
        let persons = [...d().persons].sort(byNumber);
        if (f.personlopenumre) {
          const s = new Set(f.personlopenumre);
          persons = persons.filter((p) => s.has(p.personlopenummer));
        }
        if (f.fodselsnumre) {
          const s = new Set(f.fodselsnumre);
          persons = persons.filter((p) => p.fodselsnummer && s.has(p.fodselsnummer));
        }
        if (f.navn) {
          const n = f.navn.toLowerCase();
          persons = persons.filter((p) => `${p.fornavn} ${p.etternavn}`.toLowerCase().includes(n));
        }
        if (f.organisasjonsenhet) {
          const e = f.organisasjonsenhet;
          const sk = [e.faknr, e.instituttnr, e.gruppenr].map((n) => String(n).padStart(2, '0')).join('');
          const progs = new Set(
            d()
              .programmes.filter((p) => p.stedkode === sk)
              .map((p) => p.kode),
          );
          const at = new Set([
            ...d()
              .studyRights.filter((r) => progs.has(r.studieprogramkode))
              .map((r) => r.personlopenummer),
            ...d()
              .teaching.filter((t) => t.stedkode === sk)
              .map((t) => t.personlopenummer),
            ...d()
              .persons.filter((p) => p.fagperson?.ansattVed === sk)
              .map((p) => p.personlopenummer),
          ]);
          persons = persons.filter((p) => at.has(p.personlopenummer) && e.institusjonsnr === d().institusjonsnr);
        }
        return page(persons, a, profile);
      },
    ),

    studenterGittStudentnumre: counted(
      'studenterGittStudentnumre',
      (a: { eierOrganisasjonskode: string; studentnumre: string[] }) => {
        requireOwner(a.eierOrganisasjonskode);
        return a.studentnumre.flatMap((nr) => {
          const p = indexed(d().persons, 'studentnummer').get(nr);
          if (!p) return [];
          return [
            {
              id: nodeId('Student', nr),
              studentnummer: nr,
              personProfil: profile(p),
              semesteradresse: p.semesteradresse,
              semesterregistreringer: (args: PageArgs) =>
                page(
                  d().semesterRegistrations.filter((s) => s.personlopenummer === p.personlopenummer),
                  args,
                  semreg,
                ),
            },
          ];
        });
      },
    ),

    programStudieretter: counted(
      'programStudieretter',
      (
        a: PageArgs & {
          filter: {
            eierOrganisasjonskode: string;
            aktivStatus?: 'AKTIV' | 'INAKTIV' | 'ALLE';
            personlopenumre?: string[];
            studieprogramkoder?: string[];
          };
        },
      ) => {
        const f = a.filter;
        requireOwner(f.eierOrganisasjonskode);
        let rights = d().studyRights;
        if (f.aktivStatus === 'AKTIV') rights = rights.filter(isActive);
        if (f.aktivStatus === 'INAKTIV') rights = rights.filter((r) => !isActive(r));
        if (f.personlopenumre) {
          const s = new Set(f.personlopenumre);
          rights = rights.filter((r) => s.has(r.personlopenummer));
        }
        if (f.studieprogramkoder) {
          const s = new Set(f.studieprogramkoder);
          rights = rights.filter((r) => s.has(r.studieprogramkode));
        }
        return page(rights, a, studyRight);
      },
    ),

    studieprogrammer: counted('studieprogrammer', (a: PageArgs & { filter: { eierOrganisasjonskode: string } }) => {
      requireOwner(a.filter.eierOrganisasjonskode);
      return page(d().programmes, a, programme);
    }),

    emner: counted('emner', (a: PageArgs & { filter: { eierOrganisasjonskode: string; koder?: string[] } }) => {
      requireOwner(a.filter.eierOrganisasjonskode);
      const koder = a.filter.koder ? new Set(a.filter.koder) : null;
      return page(
        d().courses.filter((c) => !koder || koder.has(c.kode)),
        a,
        course,
      );
    }),

    terminer: counted('terminer', (a: PageArgs & { filter?: { eierOrganisasjonskode: string } }) => {
      if (a.filter) requireOwner(a.filter.eierOrganisasjonskode);
      return page(d().terminer, a);
    }),

    semesterregistreringer: counted('semesterregistreringer', (a: TerminArgs) => {
      requireOwner(a.filter.eierOrganisasjonskode);
      return page(
        d().semesterRegistrations.filter((s) => sameTerm(s.termin, a.filter.termin)),
        a,
        semreg,
      );
    }),

    vurderingsmeldinger: counted('vurderingsmeldinger', (a: TerminArgs) => {
      requireOwner(a.filter.eierOrganisasjonskode);
      return page(
        d().examRegistrations.filter((x) => sameTerm(x.termin, a.filter.termin)),
        a,
        (x) => {
          const p = personOf(x.personlopenummer);
          return {
            studentnummer: p.studentnummer ?? '',
            personProfil: profile(p),
            emne: courseByCode(x.emnekode),
            termin: termin(x.termin),
            studieprogram: x.studieprogramkode ? programmeByCode(x.studieprogramkode) : null,
          };
        },
      );
    }),

    undervisningsfagpersoner: counted('undervisningsfagpersoner', (a: TerminArgs) => {
      requireOwner(a.filter.eierOrganisasjonskode);
      return page(
        d().teaching.filter((t) => sameTerm(t.termin, a.filter.termin)),
        a,
        (t) => ({
          personProfil: profile(personOf(t.personlopenummer)),
          termin: termin(t.termin),
          emne: t.emnekode ? courseByCode(t.emnekode) : null,
          organisasjonsenhet: unit(t.stedkode),
          rolle: { kode: t.rolle },
        }),
      );
    }),

    evuKurs: counted('evuKurs', (a: PageArgs & { filter: { eierOrganisasjonskode: string } }) => {
      requireOwner(a.filter.eierOrganisasjonskode);
      return page(d().evuCourses, a, evuCourse);
    }),

    evuKursdeltakelser: counted(
      'evuKursdeltakelser',
      (a: PageArgs & { filter: { eierOrganisasjonskode: string; kurs?: { kode: string; tidskode: string } } }) => {
        requireOwner(a.filter.eierOrganisasjonskode);
        const k = a.filter.kurs;
        return page(
          d().evuParticipations.filter((x) => !k || (x.kurskode === k.kode && x.tidskode === k.tidskode)),
          a,
          evuParticipation,
        );
      },
    ),

    fakturaer: counted(
      'fakturaer',
      (
        a: PageArgs & { filter: { eierOrganisasjonskode: string; termin?: SimTerm; fakturadetaljtyper?: string[] } },
      ) => {
        const f = a.filter;
        requireOwner(f.eierOrganisasjonskode);
        const types = f.fakturadetaljtyper ? new Set(f.fakturadetaljtyper) : null;
        return page(
          d().invoices.filter(
            (i) => (!f.termin || sameTerm(i.termin, f.termin)) && (!types || i.detaljer.some((x) => types.has(x.type))),
          ),
          a,
          (i) => ({
            fakturanummer: i.fakturanummer,
            personProfil: profile(personOf(i.personlopenummer)),
            termin: termin(i.termin),
            statusBetalt: i.statusBetalt,
            fakturastatus: { kode: i.fakturastatus },
            fakturadetaljer: i.detaljer.map((x) => ({ fakturadetaljtype: { kode: x.type }, belop: x.belop })),
          }),
        );
      },
    ),

    organisasjonsenheter: counted(
      'organisasjonsenheter',
      (a: PageArgs & { filter: { eierOrganisasjonskode: string; stedkoder?: string[] } }) => {
        requireOwner(a.filter.eierOrganisasjonskode);
        const s = a.filter.stedkoder ? new Set(a.filter.stedkoder) : null;
        return page(
          d()
            .units.filter((u) => !s || s.has(u.stedkode))
            .map((u) => unit(u.stedkode)!),
          a,
        );
      },
    ),
  };
}
