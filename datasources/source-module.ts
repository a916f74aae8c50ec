/**
 * A source as a plug-in (architecture.md: "one folder per external system, each exporting one SourceModule").
 * A module says who it is (name, global-id prefix, `Source` value), which settings enable it, how to build its
 * long-lived client, what it adds to every request (its reader, with fresh DataLoaders: convention 3), how to
 * probe it for /readyz and how to close it. datasources/index.ts lists the modules; the server builds them;
 * the resolvers reach a source only through the request's {@link RequestSources}, by global-id prefix or by
 * `Source` value, never by importing it.
 *
 * A reader implements the read interfaces below as far as its source has the data: a missing method means
 * "this source has none of that" and the resolvers answer [] or null, as the contract says.
 */
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import type { Db } from '../store/db';
import type { Source } from '../schema/enums';
import type { Node } from '../schema/node.type';
import type { Person } from '../schema/person.type';
import type { OrganisationUnit } from '../schema/organisation-unit.type';
import type { Affiliation } from '../schema/affiliation.type';
import type { Account } from '../schema/account.type';
import type { Contact, ExternalId } from '../schema/contact.type';
import type { StudyRight } from '../schema/study-right.type';
import type { Address, Manager } from '../schema/manager.type';
import type { ClassType, Facet, ItSystem } from '../schema/class.type';
import type { Connection } from '../schema/connections';
import type { RequestStats } from './cerebrum/client';

// ---- what a module is ------------------------------------------------------------------------------------

/** What every source gets when it is built: the whole settings, a logger, the store (when the process has one). */
export interface SourceDeps {
  config: Config;
  logger: Logger;
  store?: Db;
  /** Plain loaders without caching or batching: the benchmark's baseline (GatewayOptions.naiveLoaders). */
  naiveLoaders?: boolean;
}

/** The request a reader is made for. */
export interface RequestInput {
  /** The request's upstream accounting (also `Context.stats`, reported to onRequestStats). */
  stats: RequestStats;
  /** Aborts the request's upstream loads (REQUEST_TIMEOUT_MS, a client that went away). */
  signal?: AbortSignal;
  /** Today in TZ, YYYY-MM-DD: the default of `at` arguments. */
  today: string;
  /**
   * The global-id prefixes of the sources enabled for this request (a reader's look-ahead may depend on them).
   * Complete once every reader is made: read it when reading, not in a constructor.
   */
  enabled: ReadonlySet<string>;
}

/** One /readyz check (server/readiness.ts runs it; `setting` is named in a failure, its value never). */
export interface SourceCheck {
  name: string;
  setting?: string;
  check(): Promise<void>;
}

/** A built source: lives as long as the process. */
export interface SourceInstance {
  /** This request's reader (fresh loaders); undefined when the source serves no reads (disabled). */
  reader(req: RequestInput): SourceReader | undefined;
  /** Its /readyz checks, in order. */
  readiness?: SourceCheck[];
  /** Stops what `create` started (connections, consumers). */
  close?(): void | Promise<void>;
}

export interface SourceModule<S = unknown, I extends SourceInstance = SourceInstance> {
  /** For logs and the SOURCE_DISABLED warning's `source`, e.g. 'CEREBRUM'. */
  name: string;
  /** The global-id prefix: `cerebrum` in "cerebrum:85073". */
  prefix: string;
  /** The `source` of the objects it answers (Person.source, …). */
  source: Source;
  /** The setting that enables it, named in the SOURCE_DISABLED warning (e.g. CEREBRUM_URL, "the store"). */
  setting: string;
  /** Its part of the loaded settings; undefined = not configured: `create` is not called. */
  settings(config: Config, deps: SourceDeps): S | undefined;
  /** The long-lived part (clients, caches, consumers). */
  create(settings: S, deps: SourceDeps): I;
  /** Which global ids name its persons, units and other nodes (`type` is the part between prefix and id). */
  ids: SourceIds;
  /** Sources (prefixes) holding the same humans, matched by national id: sameAs, cross-source studyRights. */
  linkedByNationalId?: readonly string[];
  /** Which national ids it can hold (personByNationalId asks only those that can); default none. */
  holdsNationalId?(nationalId: string): boolean;
  /** Asked first by personByNationalId (LOS: its CPR numbers are its own). Default false. */
  nationalIdFirst?: boolean;
  /** persons() without a source and without a unit lists this source when it is enabled (first such wins). */
  defaultPersonList?: boolean;
  /** organisationUnits() lists this source's units; without a `source` it lists the first such source. */
  listsUnits?: boolean;
  /** organisationUnits(filter: {source}) for this source is bad input with this message (it cannot list). */
  unitListRefusal?: string;
  /** Checks a persons()/organisationUnits() filter before the source is read (bad input even when disabled). */
  checkPersonFilter?(filter: PersonListQuery['filter']): void;
  checkUnitFilter?(filter: UnitListQuery['filter']): void;
  /** Serves the class lists (facets, classes, itSystems). */
  servesClasses?: boolean;
  /** Serves account(name:). */
  servesAccounts?: boolean;
  /** Serves the live change subscriptions (personChanged, organisationUnitChanged). */
  servesChanges?: boolean;
}

export interface SourceIds {
  /** Types of a person id (person(id:)). */
  person: readonly string[];
  /** Types of a unit id (organisationUnit(id:)). */
  unit: readonly string[];
  /** Types node(id:) answers. */
  node: readonly string[];
}

// ---- what a reader reads ---------------------------------------------------------------------------------

/** What the resolvers know of the selection, so a reader can load sub-resources in the same round. */
export interface Selection {
  /** Field names selected on the object (connections: on `edges.node`). */
  fields: ReadonlySet<string>;
  /** The caller has scope pii. */
  pii: boolean;
}

export interface PersonReader {
  /** person(id:) for a person id of this source. */
  person?(nativeId: string, sel: Selection): Promise<Person | null>;
  /** personByNationalId: this source's person with that national id. `round` = its place among the look-ups. */
  personByNationalId?(nationalId: string, sel: Selection): Promise<Person | null>;
  /** sameAs: this source's persons with that national id (a failure is a warning at the caller). */
  personsByNationalId?(nationalId: string): Promise<Person[]>;
  /** A person's national id when the source must read it (absent: Person.storedNationalId holds it). */
  nationalId?(p: Person): Promise<string | null>;
  contacts?(p: Person): Promise<Contact[]>;
  externalIds?(p: Person): Promise<ExternalId[]>;
  /** Valid on `at`; the source decides the default (the person's read day, else today). */
  affiliations?(p: Person, at: string | null | undefined): Promise<Affiliation[]>;
  accounts?(p: Person): Promise<Account[]>;
  studyRights?(p: Person): Promise<StudyRight[]>;
  /** Study rights of this source's person with that national id (for a person of a linked source). */
  studyRightsByNationalId?(nationalId: string): Promise<StudyRight[]>;
  /** persons(filter: {source}) for this source. */
  listPersons?(q: PersonListQuery): Promise<Connection<Person>>;
}

export interface PersonListQuery {
  filter: { name?: string | null; organisationUnit?: string | null; at?: string | null } | null | undefined;
  first: number;
  after: string | null | undefined;
  /** Fields of the connection (totalCount) and of its nodes. */
  connectionFields: ReadonlySet<string>;
  sel: Selection;
  /** The other sources of the request (a filter unit may belong to another one). */
  sources: RequestSources;
}

export interface UnitListQuery {
  filter:
    { parent?: string | null; roots?: boolean | null; name?: string | null; at?: string | null } | null | undefined;
  first: number;
  after: string | null | undefined;
  connectionFields: ReadonlySet<string>;
}

export interface UnitReader {
  /** organisationUnit(id:, at:) for a unit id of this source. */
  unit?(type: string, nativeId: string, at: string | null | undefined): Promise<OrganisationUnit | null>;
  /** The stedkode of a unit id of this source; null when the unit has none or does not exist. */
  stedkode?(type: string, nativeId: string): Promise<string | null>;
  parent?(ou: OrganisationUnit): Promise<OrganisationUnit | null>;
  children?(ou: OrganisationUnit, at: string | null | undefined): Promise<OrganisationUnit[]>;
  unitType?(ou: OrganisationUnit): Promise<ClassType | null>;
  hierarchies?(ou: OrganisationUnit): Promise<ClassType[]>;
  addresses?(ou: OrganisationUnit, at: string | null | undefined): Promise<Address[]>;
  /** Affiliations held at the unit itself (not its sub-units), valid on `at`. */
  unitAffiliations?(ou: OrganisationUnit, at: string | null | undefined): Promise<Affiliation[]>;
  managers?(ou: OrganisationUnit, at: string | null | undefined): Promise<Manager[]>;
  listUnits?(q: UnitListQuery): Promise<Connection<OrganisationUnit>>;
}

export interface LinkReader {
  /** Affiliation.person (null when the source has none). */
  affiliationPerson?(a: Affiliation): Promise<Person | null>;
  affiliationUnit?(a: Affiliation): Promise<OrganisationUnit | null>;
  managerPerson?(m: Manager): Promise<Person | null>;
  managerUnit?(m: Manager): Promise<OrganisationUnit | null>;
  /** A class by id (job functions, manager types, responsibilities, …). */
  class?(id: string | null | undefined): Promise<ClassType | null>;
}

export interface ClassReader {
  facets?(): Promise<Facet[]>;
  classes?(facet: string | null | undefined, includeUnpublished: boolean): Promise<ClassType[]>;
  itSystems?(): Promise<ItSystem[]>;
}

/** Account fields, as the raw record of the source (the account resolver maps the fields it knows). */
export interface AccountDetails {
  primaryEmail: string | null;
  active: boolean;
  /** A naive datetime, read in TZ. */
  createdAt: string | null;
  expireDate: string | null;
  contexts: string[];
  /** The owning person's native id; null for an account owned by a group. */
  ownerPersonId: string | null;
}

export interface AccountReader {
  account?(name: string): Promise<Account | null>;
  accountDetails?(a: Account): Promise<AccountDetails | null>;
  accountOwner?(a: Account, ownerId: string): Promise<Person | null>;
}

/** Everything a per-request reader may implement. */
export interface SourceReader extends PersonReader, UnitReader, LinkReader, ClassReader, AccountReader {
  /** node(id:) for an id of this source whose type is in `ids.node`. */
  node?(type: string, nativeId: string, sel: Selection): Promise<Node | null>;
  /** Its own request accounting when it keeps one apart from `RequestInput.stats` (logged per request). */
  ownStats?: { requests: number; retries: number };
}

// ---- one request's sources -------------------------------------------------------------------------------

/** A warning in `extensions.warnings` of the response (e.g. a disabled source). */
export interface Warning {
  code: string;
  source?: string;
  message: string;
}

/** Records that a source the request needed is not configured (runtime.md: its fields are null or []). */
export function warnSourceDisabled(warnings: Map<string, Warning>, source: string, setting: string): void {
  warnings.set(`SOURCE_DISABLED:${source}`, {
    code: 'SOURCE_DISABLED',
    source,
    message: `${source} is not configured (${setting} is unset): its fields resolve to null or [].`,
  });
}

/**
 * The sources of one request: every module of the process and the readers of the enabled ones. `get` answers a
 * disabled source with undefined and a SOURCE_DISABLED warning on the response; `peek` without one.
 */
export class RequestSources {
  private readonly byPrefix = new Map<string, SourceModule>();
  private readonly bySource = new Map<string, SourceModule>();

  constructor(
    readonly modules: readonly SourceModule[],
    private readonly readers: ReadonlyMap<string, SourceReader>,
    private readonly warnings: Map<string, Warning>,
  ) {
    for (const m of modules) {
      this.byPrefix.set(m.prefix, m);
      this.bySource.set(m.source, m);
    }
  }

  /** The module with this global-id prefix, enabled or not. */
  module(prefix: string): SourceModule | undefined {
    return this.byPrefix.get(prefix);
  }

  /** The module whose objects carry this `source` value. */
  moduleOf(source: Source | string): SourceModule | undefined {
    return this.bySource.get(source);
  }

  enabled(prefix: string): boolean {
    return this.readers.has(prefix);
  }

  /** The reader of an enabled source; undefined, with a SOURCE_DISABLED warning, for a known disabled one. */
  get(prefix: string): SourceReader | undefined {
    const reader = this.readers.get(prefix);
    const m = this.byPrefix.get(prefix);
    if (!reader && m) warnSourceDisabled(this.warnings, m.name, m.setting);
    return reader;
  }

  /** The reader without a warning when disabled. */
  peek(prefix: string): SourceReader | undefined {
    return this.readers.get(prefix);
  }

  /** The reader of the source of an object (`Person.source`, …), without a warning. */
  of(source: Source | string): SourceReader | undefined {
    const m = this.bySource.get(source);
    return m && this.readers.get(m.prefix);
  }

  /** Every enabled reader with its prefix. */
  entries(): IterableIterator<[string, SourceReader]> {
    return this.readers.entries();
  }
}

// ---- the process's sources -------------------------------------------------------------------------------

/** The built sources of a process (server/http.ts makes one from the list in datasources/index.ts). */
export class SourceSet {
  private readonly built = new Map<SourceModule, SourceInstance>();

  constructor(
    readonly modules: readonly SourceModule[],
    deps: SourceDeps,
  ) {
    const prefixes = new Set<string>();
    for (const m of modules) {
      if (prefixes.has(m.prefix)) throw new Error(`two sources claim the global-id prefix "${m.prefix}"`);
      prefixes.add(m.prefix);
      const settings = m.settings(deps.config, deps);
      if (settings !== undefined) this.built.set(m, m.create(settings, deps));
    }
  }

  /** A module's instance, typed by the module; undefined when its settings are absent. */
  instance<S, I extends SourceInstance>(m: SourceModule<S, I>): I | undefined {
    return this.built.get(m) as I | undefined;
  }

  /** Every readiness check, in the order of the list. */
  readiness(): SourceCheck[] {
    return [...this.built.values()].flatMap((i) => i.readiness ?? []);
  }

  /** One request's readers (fresh loaders) and the warnings they report into. */
  forRequest(req: Omit<RequestInput, 'enabled'>, warnings: Map<string, Warning>): RequestSources {
    // Filled while the readers are made: a reader may look at it when it reads, not when it is made.
    const enabled = new Set<string>();
    const readers = new Map<string, SourceReader>();
    for (const [m, i] of this.built) {
      // A built source may still serve no reads (Cerebrum's events run without CEREBRUM_URL).
      const r = i.reader({ ...req, enabled });
      if (r) {
        readers.set(m.prefix, r);
        enabled.add(m.prefix);
      }
    }
    return new RequestSources(this.modules, readers, warnings);
  }

  /** Closes every source, in the order of the list. */
  async close(): Promise<void> {
    for (const i of this.built.values()) await i.close?.();
  }
}
