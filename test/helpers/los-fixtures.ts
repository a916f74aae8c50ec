/**
 * A small LOS organisation written straight into the store's tables (store/migrations/002_los.sql), for the
 * read side's tests. It is what the import would have written, without the import: the tests of the GraphQL
 * reads do not depend on the CSV parsing.
 *
 *   Aarhus Kommune (root, line organisation, every address type incl. a postal address with a DAR id)
 *   ├── Børn og Unge
 *   │   ├── Skoler ............ engagements of Anne Marie Hansen (primary) and Bo Jensen; manager Bo Jensen
 *   │   └── Dagtilbud
 *   ├── Kultur ............... since 2020-06-01; before that "Kultur og Borgerservice" under Borgmesterens Afdeling
 *   └── Ny Afdeling .......... starts 2999-01-01 (only later versions exist)
 *   Borgmesterens Afdeling (root)
 *   └── Gammel Afdeling ...... ended 2021-12-31
 *   Masse (root; `insertBulkUnits`) with many "Skole NNN" units, each with a child, an engagement and a manager
 *
 * Dates are far enough from any day the tests run on that "today" falls in the open versions.
 */
import type { Db, Tx } from '../../store/db';
import { uuidV5 } from '../../datasources/los/ids';
import { KeyedIds } from '../../core/keyed-ids';

/** The fixtures' person and manager ids: keyed as the import keys them, under a key of their own. */
export const FIXTURE_IDS = new KeyedIds(Buffer.from('los-fixtures: a test key, never a deployment key'));
const personUuid = (cpr: string) => FIXTURE_IDS.person(cpr);
const managerUuid = (unit: string, cpr: string) => FIXTURE_IDS.manager(unit, cpr);

const NS = '0b6c1f4e-8d0a-4c55-9b1e-7f3a2d9c0e11';
const fx = (kind: string, key: string) => uuidV5(`${kind}|${key}`, NS);

export const FACET_KEYS = [
  'org_unit_type',
  'org_unit_address_type',
  'org_unit_hierarchy',
  'engagement_type',
  'engagement_job_function',
  'manager_type',
  'manager_level',
  'responsibility',
] as const;

export const CLASSES = {
  afdeling: {
    uuid: fx('class', 'afdeling'),
    facet: 'org_unit_type',
    userKey: 'Afdeling',
    title: 'Afdeling',
    scope: 'TEXT',
  },
  magistrat: {
    uuid: fx('class', 'magistrat'),
    facet: 'org_unit_type',
    userKey: 'Magistratsafdeling',
    title: 'Magistratsafdeling',
    scope: 'TEXT',
  },
  losId: {
    uuid: fx('class', 'LOSID'),
    facet: 'org_unit_address_type',
    userKey: 'LOSID',
    title: 'LOS ID',
    scope: 'TEXT',
  },
  cvr: {
    uuid: fx('class', 'CVRUnit'),
    facet: 'org_unit_address_type',
    userKey: 'CVRUnit',
    title: 'CVR nummer',
    scope: 'TEXT',
  },
  ean: {
    uuid: fx('class', 'EANUnit'),
    facet: 'org_unit_address_type',
    userKey: 'EANUnit',
    title: 'EAN nummer',
    scope: 'EAN',
  },
  pNumber: {
    uuid: fx('class', 'PNumber'),
    facet: 'org_unit_address_type',
    userKey: 'PNumber',
    title: 'P-nummer',
    scope: 'PNUMBER',
  },
  seNumber: {
    uuid: fx('class', 'SENumber'),
    facet: 'org_unit_address_type',
    userKey: 'SENumber',
    title: 'SE-nummer',
    scope: 'TEXT',
  },
  intDebit: {
    uuid: fx('class', 'intdebit'),
    facet: 'org_unit_address_type',
    userKey: 'intdebit',
    title: 'IntDebitor-Nr',
    scope: 'TEXT',
  },
  magId: {
    uuid: fx('class', 'UnitMagID'),
    facet: 'org_unit_address_type',
    userKey: 'UnitMagID',
    title: 'Magkort',
    scope: 'TEXT',
  },
  postal: {
    uuid: fx('class', 'AddressMailUnit'),
    facet: 'org_unit_address_type',
    userKey: 'AddressMailUnit',
    title: 'Postadresse',
    scope: 'DAR',
  },
  lineOrg: {
    uuid: fx('class', 'linjeorg'),
    facet: 'org_unit_hierarchy',
    userKey: 'linjeorg',
    title: 'Linjeorganisation',
    scope: 'TEXT',
  },
  safetyOrg: {
    uuid: fx('class', 'sikkerhedsorg'),
    facet: 'org_unit_hierarchy',
    userKey: 'sikkerhedsorg',
    title: 'Sikkerhedsorganisation',
    scope: 'TEXT',
  },
  monthly: {
    uuid: fx('class', 'monthly'),
    facet: 'engagement_type',
    userKey: 'Månedslønnet',
    title: 'Månedslønnet',
    scope: 'TEXT',
  },
  pedagogue: {
    uuid: fx('class', 'pedagogue'),
    facet: 'engagement_job_function',
    userKey: 'Pædagog',
    title: 'Pædagog',
    scope: 'TEXT',
  },
  teacher: {
    uuid: fx('class', 'teacher'),
    facet: 'engagement_job_function',
    userKey: 'Lærer',
    title: 'Lærer',
    scope: 'TEXT',
  },
  /** No longer in its STAM file: unpublished. */
  clerkTrainee: {
    uuid: fx('class', 'clerk'),
    facet: 'engagement_job_function',
    userKey: 'Kontorelev',
    title: 'Kontorelev (udgået)',
    scope: 'TEXT',
    published: false,
  },
  director: {
    uuid: fx('class', 'director'),
    facet: 'manager_type',
    userKey: 'Direktør',
    title: 'Direktør',
    scope: 'TEXT',
  },
  level1: {
    uuid: fx('class', 'level1'),
    facet: 'manager_level',
    userKey: 'Niveau 1',
    title: 'Niveau 1',
    scope: 'TEXT',
  },
  staff: {
    uuid: fx('class', 'staff'),
    facet: 'responsibility',
    userKey: 'Personale',
    title: 'Personale',
    scope: 'TEXT',
  },
} as const;

export const IT_SYSTEMS: Record<
  'az' | 'retired',
  { uuid: string; name: string; userKey: string; published?: boolean }
> = {
  az: { uuid: fx('it', 'AZ'), name: 'AZ', userKey: 'AZ' },
  retired: { uuid: fx('it', 'OPUS'), name: 'OPUS', userKey: 'OPUS', published: false },
};

export const DAR_ID = '0a3f50a0-4660-32b8-e044-0003ba298018';
export const ROOT_ADDRESSES = {
  LOSID: '1001',
  CVRUnit: '55133018',
  EANUnit: '5798005770000',
  PNumber: '1003389584',
  SENumber: '55133018',
  intdebit: 'ID-4711',
  UnitMagID: 'MAG-1',
  AddressMailUnit: { text: 'Rådhuspladsen 2, 8000 Aarhus C', darId: DAR_ID },
};

export const UNITS = {
  aarhus: fx('unit', 'aarhus'),
  mayor: fx('unit', 'mayor'),
  children: fx('unit', 'boern-og-unge'),
  schools: fx('unit', 'skoler'),
  daycare: fx('unit', 'dagtilbud'),
  culture: fx('unit', 'kultur'),
  future: fx('unit', 'ny'),
  ended: fx('unit', 'gammel'),
  bulkRoot: fx('unit', 'masse'),
};

/** The day "Kultur og Borgerservice" became "Kultur" and moved from the mayor's department to the root. */
export const RENAMED_ON = '2020-06-01';

export const PERSONS = {
  anne: { cpr: '0101701234', name: 'Anne Marie Hansen', email: 'amh@aarhus.dk', birthDate: '1970-01-01' },
  bo: { cpr: '1502054321', name: 'Bo Jensen', email: null, birthDate: '2005-02-15' },
  cecilie: { cpr: '3112585678', name: 'Cecilie Østergaard', email: 'ceci@aarhus.dk', birthDate: '1858-12-31' },
  ulrik: { cpr: '0102039012', name: 'Ulrik', email: null, birthDate: '2003-02-01' },
};
export const personId = (p: { cpr: string }) => personUuid(p.cpr);

export const ENGAGEMENTS = {
  anneSchools: fx('engagement', 'anne-skoler'),
  anneChildrenEnded: fx('engagement', 'anne-boern'),
  boSchools: fx('engagement', 'bo-skoler'),
  cecilieCulture: fx('engagement', 'cecilie-kultur'),
  ulrikEnded: fx('engagement', 'ulrik-gammel'),
};

interface UnitVersion {
  uuid: string;
  from: string;
  to?: string | null;
  userKey: string;
  name: string | null;
  type?: string | null;
  parent?: string | null;
  lineOrg?: boolean;
  addresses?: Record<string, unknown>;
}

async function insertUnit(tx: Tx, v: UnitVersion): Promise<void> {
  await tx.query(
    `INSERT INTO los_org_units (uuid, valid_from, valid_to, user_key, name, unit_type, parent_uuid, line_org, addresses)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [
      v.uuid,
      v.from,
      v.to ?? null,
      v.userKey,
      v.name,
      v.type ?? null,
      v.parent ?? null,
      v.lineOrg ?? false,
      JSON.stringify(v.addresses ?? {}),
    ],
  );
}

async function insertPerson(tx: Tx, p: { cpr: string; name: string; email: string | null }): Promise<string> {
  const uuid = personUuid(p.cpr);
  await tx.query('INSERT INTO los_persons (uuid, cpr, name, email, email_from) VALUES ($1, $2, $3, $4, $5)', [
    uuid,
    p.cpr,
    p.name,
    p.email,
    p.email ? '2020-01-01' : null,
  ]);
  return uuid;
}

interface Engagement {
  uuid: string;
  from: string;
  to?: string | null;
  person: string;
  userKey: string;
  unit: string;
  jobFunction?: string;
  primary: boolean;
  azId?: string | null;
}

async function insertEngagement(tx: Tx, e: Engagement): Promise<void> {
  await tx.query(
    `INSERT INTO los_engagements (uuid, valid_from, valid_to, person_uuid, user_key, org_uuid, engagement_type, job_function, is_primary, az_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      e.uuid,
      e.from,
      e.to ?? null,
      e.person,
      e.userKey,
      e.unit,
      CLASSES.monthly.uuid,
      e.jobFunction ?? CLASSES.pedagogue.uuid,
      e.primary,
      e.azId ?? null,
    ],
  );
}

async function insertManager(
  tx: Tx,
  m: { unit: string; cpr: string; from: string; to?: string | null },
): Promise<void> {
  await tx.query(
    `INSERT INTO los_managers (uuid, valid_from, valid_to, org_uuid, person_uuid, manager_type, manager_level, responsibility)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      managerUuid(m.unit, m.cpr),
      m.from,
      m.to ?? null,
      m.unit,
      personUuid(m.cpr),
      CLASSES.director.uuid,
      CLASSES.level1.uuid,
      CLASSES.staff.uuid,
    ],
  );
}

/** Writes the organisation drawn at the top of this file. */
export async function insertLosFixtures(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const f of FACET_KEYS)
      await tx.query('INSERT INTO los_facets (user_key, uuid) VALUES ($1, $2)', [f, fx('facet', f)]);
    for (const c of Object.values(CLASSES)) {
      await tx.query(
        'INSERT INTO los_classes (uuid, facet, user_key, title, scope, published) VALUES ($1, $2, $3, $4, $5, $6)',
        [c.uuid, c.facet, c.userKey, c.title, c.scope, 'published' in c ? c.published : true],
      );
    }
    for (const s of Object.values(IT_SYSTEMS)) {
      await tx.query('INSERT INTO los_it_systems (uuid, name, user_key, published) VALUES ($1, $2, $3, $4)', [
        s.uuid,
        s.name,
        s.userKey,
        s.published ?? true,
      ]);
    }

    const magistrat = CLASSES.magistrat.uuid;
    const afdeling = CLASSES.afdeling.uuid;
    await insertUnit(tx, {
      uuid: UNITS.aarhus,
      from: '2000-01-01',
      userKey: 'AK',
      name: 'Aarhus Kommune',
      type: magistrat,
      lineOrg: true,
      addresses: ROOT_ADDRESSES,
    });
    await insertUnit(tx, {
      uuid: UNITS.mayor,
      from: '2000-01-01',
      userKey: 'BA',
      name: 'Borgmesterens Afdeling',
      type: magistrat,
      lineOrg: true,
    });
    await insertUnit(tx, {
      uuid: UNITS.children,
      from: '2000-01-01',
      userKey: 'BU',
      name: 'Børn og Unge',
      type: afdeling,
      parent: UNITS.aarhus,
      lineOrg: true,
    });
    await insertUnit(tx, {
      uuid: UNITS.schools,
      from: '2000-01-01',
      userKey: 'BU-SK',
      name: 'Skoler',
      type: afdeling,
      parent: UNITS.children,
      lineOrg: true,
      addresses: { LOSID: '3001' },
    });
    await insertUnit(tx, {
      uuid: UNITS.daycare,
      from: '2000-01-01',
      userKey: 'BU-DT',
      name: 'Dagtilbud',
      type: afdeling,
      parent: UNITS.children,
    });
    // Renamed and moved on RENAMED_ON: two versions, each with its own addresses.
    await insertUnit(tx, {
      uuid: UNITS.culture,
      from: '2000-01-01',
      to: '2020-05-31',
      userKey: 'KB',
      name: 'Kultur og Borgerservice',
      type: afdeling,
      parent: UNITS.mayor,
      addresses: { LOSID: '111', AddressMailUnit: { text: 'Gammel Vej 1, 8000 Aarhus C', darId: null } },
    });
    await insertUnit(tx, {
      uuid: UNITS.culture,
      from: RENAMED_ON,
      userKey: 'KB',
      name: 'Kultur',
      type: afdeling,
      parent: UNITS.aarhus,
      lineOrg: true,
      addresses: { LOSID: '222' },
    });
    await insertUnit(tx, {
      uuid: UNITS.future,
      from: '2999-01-01',
      userKey: 'NY',
      name: 'Ny Afdeling',
      type: afdeling,
      parent: UNITS.aarhus,
    });
    await insertUnit(tx, {
      uuid: UNITS.ended,
      from: '2000-01-01',
      to: '2021-12-31',
      userKey: 'GA',
      name: 'Gammel Afdeling',
      type: afdeling,
      parent: UNITS.mayor,
    });

    const anne = await insertPerson(tx, PERSONS.anne);
    const bo = await insertPerson(tx, PERSONS.bo);
    const cecilie = await insertPerson(tx, PERSONS.cecilie);
    const ulrik = await insertPerson(tx, PERSONS.ulrik);
    await insertEngagement(tx, {
      uuid: ENGAGEMENTS.anneSchools,
      from: '2020-01-01',
      person: anne,
      userKey: 'E-1001',
      unit: UNITS.schools,
      primary: true,
      azId: 'az12345',
    });
    await insertEngagement(tx, {
      uuid: ENGAGEMENTS.anneChildrenEnded,
      from: '2010-01-01',
      to: '2019-12-31',
      person: anne,
      userKey: 'E-0900',
      unit: UNITS.children,
      primary: false,
      jobFunction: CLASSES.clerkTrainee.uuid,
    });
    await insertEngagement(tx, {
      uuid: ENGAGEMENTS.boSchools,
      from: '2015-08-01',
      person: bo,
      userKey: 'E-1002',
      unit: UNITS.schools,
      primary: true,
      jobFunction: CLASSES.teacher.uuid,
    });
    await insertEngagement(tx, {
      uuid: ENGAGEMENTS.cecilieCulture,
      from: '2000-01-01',
      person: cecilie,
      userKey: 'E-1003',
      unit: UNITS.culture,
      primary: true,
    });
    await insertEngagement(tx, {
      uuid: ENGAGEMENTS.ulrikEnded,
      from: '2005-01-01',
      to: '2021-12-31',
      person: ulrik,
      userKey: 'E-0500',
      unit: UNITS.ended,
      primary: true,
    });

    await insertManager(tx, { unit: UNITS.schools, cpr: PERSONS.bo.cpr, from: '2018-01-01' });
    await insertManager(tx, { unit: UNITS.children, cpr: PERSONS.anne.cpr, from: '2010-01-01', to: '2019-12-31' });
    await insertManager(tx, { unit: UNITS.aarhus, cpr: PERSONS.cecilie.cpr, from: '2000-01-01' });
  });
}

export const bulkUnitName = (i: number) => `Skole ${String(i).padStart(3, '0')}`;

/**
 * `n` units "Skole 001".. under the root "Masse", each with one child ("… Indskoling"), one engagement of its
 * own person ("Elev NNN Bulk", a made-up CPR) and that person as its manager.
 */
export async function insertBulkUnits(db: Db, n: number): Promise<void> {
  await db.transaction(async (tx) => {
    await insertUnit(tx, {
      uuid: UNITS.bulkRoot,
      from: '2000-01-01',
      userKey: 'MASSE',
      name: 'Masse',
      type: CLASSES.magistrat.uuid,
    });
    for (let i = 1; i <= n; i++) {
      const unit = fx('bulk', String(i));
      await insertUnit(tx, {
        uuid: unit,
        from: '2000-01-01',
        userKey: `M-${i}`,
        name: bulkUnitName(i),
        type: CLASSES.afdeling.uuid,
        parent: UNITS.bulkRoot,
      });
      await insertUnit(tx, {
        uuid: fx('bulk-child', String(i)),
        from: '2000-01-01',
        userKey: `M-${i}-I`,
        name: `${bulkUnitName(i)} Indskoling`,
        parent: unit,
      });
      // Day 01, month 01..12, 7th digit 1: a valid CPR shape for each i.
      const cpr = `01${String((i % 12) + 1).padStart(2, '0')}80${String(1000 + i).padStart(4, '0')}`;
      const person = await insertPerson(tx, { cpr, name: `Elev ${String(i).padStart(3, '0')} Bulk`, email: null });
      await insertEngagement(tx, {
        uuid: fx('bulk-engagement', String(i)),
        from: '2000-01-01',
        person,
        userKey: `BE-${i}`,
        unit,
        primary: true,
      });
      await insertManager(tx, { unit, cpr, from: '2000-01-01' });
    }
  });
}
