/**
 * LOS seed data (written on the first run) and the STAM class files (specs/aarhus-los.md, "Seed data" and
 * "STAM files"). Seed classes get name-based UUIDs, so seeding twice writes the same rows.
 */
import type { Queryable } from '../../store/db';
import { seedUuid } from '../../datasources/los/ids';
import { STAM_FILES } from '../../datasources/los/files';

export const ORGANISATION = { name: 'Århus Kommune', municipalityCode: '751' };

/** [title, scope, user_key] per facet. */
const SEED_CLASSES: Record<string, [string, string, string][]> = {
  org_unit_address_type: [
    ['Postadresse', 'DAR', 'AddressMailUnit'],
    ['LOS ID', 'TEXT', 'LOSID'],
    ['CVR nummer', 'TEXT', 'CVRUnit'],
    ['EAN nummer', 'EAN', 'EANUnit'],
    ['P-nummer', 'PNUMBER', 'PNumber'],
    ['SE-nummer', 'TEXT', 'SENumber'],
    ['IntDebitor-Nr', 'TEXT', 'intdebit'],
    ['WWW', 'WWW', 'UnitWeb'],
    ['Ekspeditionstid', 'TEXT', 'UnitHours'],
    ['Telefontid', 'TEXT', 'UnitPhoneHours'],
    ['Telefon', 'PHONE', 'UnitPhone'],
    ['Fax', 'PHONE', 'UnitFax'],
    ['Email', 'EMAIL', 'UnitEmail'],
    ['Magkort', 'TEXT', 'UnitMagID'],
    ['Alternativt navn', 'TEXT', 'UnitNameAlt'],
  ],
  employee_address_type: [
    ['Phone', 'PHONE', 'PhoneEmployee'],
    ['Email', 'EMAIL', 'EmailEmployee'],
    ['Lokale', 'TEXT', 'RoomEmployee'],
  ],
  primary_type: [
    ['Primær', '100000', 'primary'],
    ['Ikke-primær', '0', 'non-primary'],
  ],
  org_unit_hierarchy: [
    ['Linjeorganisation', 'TEXT', 'linjeorg'],
    ['Sikkerhedsorganisation', 'TEXT', 'sikkerhedsorg'],
  ],
  role_type: [['Rolletype', 'TEXT', 'Rolletype']],
  association_type: [['Tilknytningsrolle', 'TEXT', 'Tilknytningsrolle']],
  leave_type: [['Orlovsrolle', 'TEXT', 'Orlovsrolle']],
};

/** Every facet: the seed facets and those the STAM files fill. */
export const FACETS = [
  ...new Set([...Object.keys(SEED_CLASSES), ...STAM_FILES.flatMap((s) => (s.facet ? [s.facet] : []))]),
];

/**
 * The seed's classes and IT system: the first run's, owned by idbro, not by any STAM file. A STAM file that lacks
 * one (the placeholders `Rolletype`, `Tilknytningsrolle`, `Orlovsrolle` of seed 000 are in no delivery) never
 * unpublishes it; a STAM row with the same uuid may still rename it.
 */
export const SEED_CLASS_UUIDS: ReadonlySet<string> = new Set(
  Object.entries(SEED_CLASSES).flatMap(([facet, classes]) =>
    classes.map(([, , userKey]) => seedUuid('class', `${facet}/${userKey}`)),
  ),
);
export const SEED_IT_SYSTEM = seedUuid('itsystem', 'AZ');

export const LINE_ORG_CLASS = seedUuid('class', 'org_unit_hierarchy/linjeorg');

/** Writes the seed data unless the organisation exists; returns whether it wrote it. */
export async function seedIfFirstRun(q: Queryable): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM los_organisation LIMIT 1');
  if (rows.length > 0) return false;
  await q.query('INSERT INTO los_organisation (uuid, name, municipality_code) VALUES ($1, $2, $3)', [
    seedUuid('organisation', ORGANISATION.municipalityCode),
    ORGANISATION.name,
    ORGANISATION.municipalityCode,
  ]);
  for (const facet of FACETS) {
    await q.query('INSERT INTO los_facets (user_key, uuid) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      facet,
      seedUuid('facet', facet),
    ]);
  }
  for (const [facet, classes] of Object.entries(SEED_CLASSES)) {
    for (const [title, scope, userKey] of classes) {
      await q.query(
        'INSERT INTO los_classes (uuid, facet, user_key, title, scope) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [seedUuid('class', `${facet}/${userKey}`), facet, userKey, title, scope],
      );
    }
  }
  await q.query("INSERT INTO los_it_systems (uuid, name, user_key) VALUES ($1, 'AZ', 'AZ') ON CONFLICT DO NOTHING", [
    SEED_IT_SYSTEM,
  ]);
  return true;
}

export interface StamCounts {
  created: number;
  updated: number;
  unchanged: number;
  terminated: number;
}

/**
 * Applies one STAM file's classes: new ones are created, changed titles updated, and classes of the facet
 * absent from the file are unpublished (kept, not deleted) — except the seed's (SEED_CLASS_UUIDS). `rows` is the
 * whole (small) file.
 */
export async function applyStamClasses(
  q: Queryable,
  facet: string,
  rows: { uuid: string; title: string }[],
): Promise<StamCounts> {
  const counts: StamCounts = { created: 0, updated: 0, unchanged: 0, terminated: 0 };
  const { rows: existing } = await q.query<{ uuid: string; title: string; published: boolean }>(
    'SELECT uuid::text AS uuid, title, published FROM los_classes WHERE facet = $1',
    [facet],
  );
  const byUuid = new Map(existing.map((r) => [r.uuid, r]));
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.uuid)) continue;
    seen.add(row.uuid);
    const old = byUuid.get(row.uuid);
    if (!old) {
      await q.query(
        `INSERT INTO los_classes (uuid, facet, user_key, title, scope, published) VALUES ($1, $2, $3, $3, 'TEXT', true)
         ON CONFLICT (uuid) DO UPDATE SET facet = EXCLUDED.facet, user_key = EXCLUDED.user_key, title = EXCLUDED.title, published = true`,
        [row.uuid, facet, row.title],
      );
      counts.created++;
    } else if (old.title !== row.title || !old.published) {
      await q.query('UPDATE los_classes SET title = $2, user_key = $2, published = true WHERE uuid = $1', [
        row.uuid,
        row.title,
      ]);
      counts.updated++;
    } else {
      counts.unchanged++;
    }
  }
  const gone = [...byUuid.values()]
    .filter((c) => c.published && !seen.has(c.uuid) && !SEED_CLASS_UUIDS.has(c.uuid))
    .map((c) => c.uuid);
  if (gone.length > 0) {
    await q.query('UPDATE los_classes SET published = false WHERE uuid = ANY($1::uuid[])', [gone]);
    counts.terminated += gone.length;
  }
  return counts;
}

export async function applyItSystems(
  q: Queryable,
  rows: { uuid: string; name: string; userKey: string }[],
): Promise<StamCounts> {
  const counts: StamCounts = { created: 0, updated: 0, unchanged: 0, terminated: 0 };
  const { rows: existing } = await q.query<{ uuid: string; name: string; user_key: string; published: boolean }>(
    'SELECT uuid::text AS uuid, name, user_key, published FROM los_it_systems',
  );
  const byUuid = new Map(existing.map((r) => [r.uuid, r]));
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.uuid)) continue;
    seen.add(row.uuid);
    const old = byUuid.get(row.uuid);
    if (old && old.name === row.name && old.user_key === row.userKey && old.published) {
      counts.unchanged++;
      continue;
    }
    await q.query(
      `INSERT INTO los_it_systems (uuid, name, user_key, published) VALUES ($1, $2, $3, true)
       ON CONFLICT (uuid) DO UPDATE SET name = EXCLUDED.name, user_key = EXCLUDED.user_key, published = true`,
      [row.uuid, row.name, row.userKey],
    );
    counts[old ? 'updated' : 'created']++;
  }
  // The seed's AZ system is not in the STAM file's hands: only systems that came from the file are unpublished.
  const gone = [...byUuid.values()]
    .filter((s) => s.published && !seen.has(s.uuid) && s.uuid !== SEED_IT_SYSTEM)
    .map((s) => s.uuid);
  if (gone.length > 0) {
    await q.query('UPDATE los_it_systems SET published = false WHERE uuid = ANY($1::uuid[])', [gone]);
    counts.terminated += gone.length;
  }
  return counts;
}
