/**
 * The employees of the UNI-Login export, read from the imported LOS data (store/migrations/002_los.sql): every
 * person with an engagement valid today at a unit in the configured subtree(s) (UNILOGIN_ROOT_OU), as of today.
 *
 * - LocalPersonId = the LOS person uuid (keyed with the deployment's secret: core/keyed-ids.ts), so it is
 *   the same for the same person in every export, and reveals nothing — except for a person UNI-Login accepted
 *   before the ids were re-derived (store/keyed-ids.repo.ts): WS10 forbids changing a LocalPersonId, so that
 *   person keeps the one accepted (table unilogin_local_ids).
 * - Names: LOS has the whole name (CPRNavn); the last word is the family name, the words before it the first name.
 * - Employee.type: the job function (Stillingsbetegnelse) of the person's primary engagement in the subtree (else
 *   the earliest), mapped by UNILOGIN_EMPLOYEE_TYPES; Occupation = that job function's title.
 * - Groups: the units of the person's engagements in the subtree; GroupId = the unit's user key, GroupName = its name.
 */
import type { Db } from '../../store/db';
import { splitName, type UniLoginGroup, type UniLoginPerson } from '../../datasources/unilogin/record';
import type { EmployeeType, EmployeeTypeMapping, UniLoginRoots } from '../../core/settings/unilogin';

export interface SourcePerson {
  person: UniLoginPerson;
  /** The groups the person's GroupIds name. */
  groups: UniLoginGroup[];
}

/** Where the employees come from: LosEmployees, or a stand-in (tests, benchmarks). */
export interface UniLoginEmployeeSource {
  /** Reads what persons() needs; returns the configured roots that do not exist today. */
  prepare(): Promise<{ missingRoots: string[] }>;
  /** How many persons persons() will give (for progress). */
  count(): Promise<number>;
  /** The persons; may be called more than once (a rebuild reads them again). */
  persons(): AsyncIterable<SourcePerson>;
}

export interface LosEmployeesOptions {
  roots: UniLoginRoots;
  /** YYYY-MM-DD: which versions of units and engagements count. */
  today: string;
  employeeTypes: EmployeeTypeMapping;
  /** Rows per cursor fetch. Default 2000. */
  batchSize?: number;
}

interface Unit {
  userKey: string;
  name: string | null;
}

const VALID_ON = (a: string) => `${a}.valid_from <= $2::date AND (${a}.valid_to IS NULL OR ${a}.valid_to >= $2::date)`;

/** The units of the subtree(s) valid on $2: the roots ($1, or every root when $1 is null), then their children. */
const SUBTREE = `
  WITH RECURSIVE tree(uuid) AS (
    SELECT u.uuid FROM los_org_units u
     WHERE CASE WHEN $1::uuid[] IS NULL THEN u.parent_uuid IS NULL ELSE u.uuid = ANY($1::uuid[]) END AND ${VALID_ON('u')}
    UNION
    SELECT c.uuid FROM los_org_units c JOIN tree t ON c.parent_uuid = t.uuid WHERE ${VALID_ON('c')}
  )`;

export class LosEmployees implements UniLoginEmployeeSource {
  private units = new Map<string, Unit>();
  private jobFunctions = new Map<string, { title: string; type: EmployeeType }>();
  private prepared = false;

  constructor(
    private readonly db: Db,
    private readonly opts: LosEmployeesOptions,
  ) {}

  private get rootParam(): string[] | null {
    return this.opts.roots.kind === 'los' ? this.opts.roots.uuids : null;
  }

  /**
   * Reads the subtree's units and the job functions. Returns the configured roots that have no version valid
   * today (a wrong UNILOGIN_ROOT_OU, or LOS not imported yet).
   */
  async prepare(): Promise<{ missingRoots: string[]; units: number }> {
    const { rows } = await this.db.query<{ uuid: string; user_key: string; name: string | null }>(
      `${SUBTREE} SELECT u.uuid, u.user_key, u.name FROM los_org_units u JOIN tree USING (uuid) WHERE ${VALID_ON('u')}`,
      [this.rootParam, this.opts.today],
    );
    this.units = new Map(rows.map((r) => [r.uuid, { userKey: r.user_key, name: r.name }]));
    const classes = await this.db.query<{ uuid: string; user_key: string; title: string }>(
      `SELECT uuid, user_key, title FROM los_classes WHERE facet = 'engagement_job_function'`,
    );
    const map = this.opts.employeeTypes;
    for (const c of classes.rows) {
      const type =
        map.byJobFunction.get(c.uuid.toLowerCase()) ??
        map.byJobFunction.get(c.user_key.toLowerCase()) ??
        map.byJobFunction.get(c.title.toLowerCase()) ??
        map.fallback;
      this.jobFunctions.set(c.uuid, { title: c.title, type });
    }
    this.prepared = true;
    const missingRoots = (this.rootParam ?? []).filter((u) => !this.units.has(u));
    return { missingRoots, units: this.units.size };
  }

  /** How many persons persons() will give (for progress). */
  async count(): Promise<number> {
    this.assertPrepared();
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(DISTINCT e.person_uuid)::int AS n FROM los_engagements e WHERE e.org_uuid = ANY($1::uuid[]) AND ${VALID_ON('e')}`,
      [[...this.units.keys()], this.opts.today],
    );
    return rows[0]?.n ?? 0;
  }

  /** The persons, one at a time, in LocalPersonId order, read through a cursor (never the whole set at once). */
  async *persons(): AsyncIterable<SourcePerson> {
    this.assertPrepared();
    if (this.units.size === 0) return;
    type Row = {
      local_id: string;
      cpr: string;
      name: string;
      email: string | null;
      org_uuid: string;
      job_function: string;
    };
    let current: Row[] = [];
    const batches = this.db.iterate<Row>(
      `SELECT COALESCE(l.local_person_id, p.uuid::text) AS local_id, p.cpr, p.name, p.email, e.org_uuid, e.job_function
         FROM los_engagements e JOIN los_persons p ON p.uuid = e.person_uuid
         LEFT JOIN unilogin_local_ids l ON l.person_uuid = p.uuid
        WHERE e.org_uuid = ANY($1::uuid[]) AND ${VALID_ON('e')}
        ORDER BY local_id, e.is_primary DESC, e.valid_from, e.uuid`,
      [[...this.units.keys()], this.opts.today],
      this.opts.batchSize ?? 2000,
    );
    for await (const batch of batches) {
      for (const row of batch) {
        if (current[0] && current[0].local_id !== row.local_id) {
          yield this.toPerson(current);
          current = [];
        }
        current.push(row);
      }
    }
    if (current.length > 0) yield this.toPerson(current);
  }

  private toPerson(
    rows: {
      local_id: string;
      cpr: string;
      name: string;
      email: string | null;
      org_uuid: string;
      job_function: string;
    }[],
  ): SourcePerson {
    const first = rows[0]; // the primary engagement, or the earliest (the query's order)
    if (!first) throw new Error('toPerson() needs the rows of one person, got none');
    const job = this.jobFunctions.get(first.job_function);
    const { firstName, familyName } = splitName(first.name);
    const groups = new Map<string, UniLoginGroup>();
    for (const r of rows) {
      const unit = this.units.get(r.org_uuid);
      if (unit && !groups.has(unit.userKey))
        groups.set(unit.userKey, { id: unit.userKey, name: unit.name ?? unit.userKey });
    }
    return {
      person: {
        localPersonId: first.local_id,
        nationalId: first.cpr,
        firstName,
        familyName,
        email: first.email,
        employee: {
          type: job?.type ?? this.opts.employeeTypes.fallback,
          occupation: job?.title ?? null,
          groupIds: [...groups.keys()],
        },
      },
      groups: [...groups.values()],
    };
  }

  private assertPrepared(): void {
    if (!this.prepared) throw new Error('LosEmployees: call prepare() first');
  }
}
