/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, YYYY-MM-DD. */
  Date: { input: string; output: string; }
  /** An instant, ISO 8601 with a UTC offset. */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

export type Account = Node & {
  __typename?: 'Account';
  /** False for an expired account (or one Cerebrum no longer has). */
  active: Scalars['Boolean']['output'];
  contexts: Array<Scalars['String']['output']>;
  /** Cerebrum's naive datetime read in the configured time zone (TZ). */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  expireDate?: Maybe<Scalars['Date']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** The owning person; null for an account owned by a group. */
  owner?: Maybe<Person>;
  primary?: Maybe<Scalars['Boolean']['output']>;
  primaryEmail?: Maybe<Scalars['String']['output']>;
};

export type Address = {
  __typename?: 'Address';
  addressType: Class;
  from?: Maybe<Scalars['Date']['output']>;
  to?: Maybe<Scalars['Date']['output']>;
  value: Scalars['String']['output'];
};

/** An affiliation (Cerebrum) or an engagement (LOS) of a person to an organisation unit. */
export type Affiliation = {
  __typename?: 'Affiliation';
  engagementType?: Maybe<Class>;
  from?: Maybe<Scalars['Date']['output']>;
  id: Scalars['ID']['output'];
  jobFunction?: Maybe<Class>;
  /** Cerebrum: ANSATT, STUDENT, TILKNYTTET; LOS: ENGAGEMENT. */
  kind: Scalars['String']['output'];
  organisationUnit?: Maybe<OrganisationUnit>;
  person: Person;
  primary?: Maybe<Scalars['Boolean']['output']>;
  source: Source;
  sourceSystem?: Maybe<Scalars['String']['output']>;
  /** Cerebrum status such as 'ANSATT/tekadm'. */
  status?: Maybe<Scalars['String']['output']>;
  to?: Maybe<Scalars['Date']['output']>;
  userKey?: Maybe<Scalars['String']['output']>;
};

export type Class = Node & {
  __typename?: 'Class';
  facet: Facet;
  id: Scalars['ID']['output'];
  scope?: Maybe<Scalars['String']['output']>;
  title: Scalars['String']['output'];
  userKey: Scalars['String']['output'];
};

export type ClassConnection = {
  __typename?: 'ClassConnection';
  edges: Array<ClassEdge>;
  pageInfo: PageInfo;
  totalCount?: Maybe<Scalars['Int']['output']>;
};

export type ClassEdge = {
  __typename?: 'ClassEdge';
  cursor: Scalars['String']['output'];
  node: Class;
};

export type Contact = {
  __typename?: 'Contact';
  /** Lower is preferred (Cerebrum). */
  preference?: Maybe<Scalars['Int']['output']>;
  sourceSystem?: Maybe<Scalars['String']['output']>;
  type: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type ExternalId = {
  __typename?: 'ExternalId';
  sourceSystem?: Maybe<Scalars['String']['output']>;
  /** Cerebrum REST names: norwegianNationalId, employeeNumber, studentNumber, passportNumber, fsPersonSerialNumber, dfoPersonId, … */
  type: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type Facet = {
  __typename?: 'Facet';
  classes: Array<Class>;
  userKey: Scalars['String']['output'];
};

export type ItSystem = Node & {
  __typename?: 'ItSystem';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  userKey: Scalars['String']['output'];
};

export type Manager = {
  __typename?: 'Manager';
  from?: Maybe<Scalars['Date']['output']>;
  level?: Maybe<Class>;
  managerType?: Maybe<Class>;
  organisationUnit: OrganisationUnit;
  person?: Maybe<Person>;
  responsibilities: Array<Class>;
  to?: Maybe<Scalars['Date']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  cancelSyncJob: SyncJob;
  startCristinExport: SyncJob;
  startFsImport: SyncJob;
  /** All sync mutations need scope sync, enqueue a BullMQ job and return at once. */
  startLosImport: SyncJob;
  startUniLoginExport: SyncJob;
};


export type MutationCancelSyncJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartCristinExportArgs = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationStartFsImportArgs = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationStartLosImportArgs = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationStartUniLoginExportArgs = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  mode: UniLoginExportMode;
};

/** Global IDs are '<source>:<native id>': 'cerebrum:85073', 'los:<OrgUUID>'. */
export type Node = {
  id: Scalars['ID']['output'];
};

export type OrganisationUnit = Node & {
  __typename?: 'OrganisationUnit';
  acronym?: Maybe<Scalars['String']['output']>;
  addresses: Array<Address>;
  affiliations: Array<Affiliation>;
  /** Units directly below, valid on `at`. Cerebrum REST has no parent or children endpoint for OUs (GET /v1/ous/{id} only): null/[] for Cerebrum units. */
  children: Array<OrganisationUnit>;
  contacts: Array<Contact>;
  hierarchies: Array<Class>;
  id: Scalars['ID']['output'];
  managers: Array<Manager>;
  name?: Maybe<Scalars['String']['output']>;
  /** The parent unit. Cerebrum REST has no parent or children endpoint for OUs (GET /v1/ous/{id} only): null/[] for Cerebrum units. */
  parent?: Maybe<OrganisationUnit>;
  source: Source;
  /** Cerebrum six-digit stedkode, e.g. '330000'. */
  stedkode?: Maybe<Scalars['String']['output']>;
  /** LOS unit type; null for Cerebrum units. */
  unitType?: Maybe<Class>;
  userKey?: Maybe<Scalars['String']['output']>;
  validFrom?: Maybe<Scalars['Date']['output']>;
  validTo?: Maybe<Scalars['Date']['output']>;
};


export type OrganisationUnitAddressesArgs = {
  at?: InputMaybe<Scalars['Date']['input']>;
};


export type OrganisationUnitAffiliationsArgs = {
  at?: InputMaybe<Scalars['Date']['input']>;
};


export type OrganisationUnitChildrenArgs = {
  at?: InputMaybe<Scalars['Date']['input']>;
};


export type OrganisationUnitManagersArgs = {
  at?: InputMaybe<Scalars['Date']['input']>;
};

export type OrganisationUnitConnection = {
  __typename?: 'OrganisationUnitConnection';
  edges: Array<OrganisationUnitEdge>;
  pageInfo: PageInfo;
  totalCount?: Maybe<Scalars['Int']['output']>;
};

export type OrganisationUnitEdge = {
  __typename?: 'OrganisationUnitEdge';
  cursor: Scalars['String']['output'];
  node: OrganisationUnit;
};

export type OrganisationUnitFilter = {
  at?: InputMaybe<Scalars['Date']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  parent?: InputMaybe<Scalars['ID']['input']>;
  roots?: InputMaybe<Scalars['Boolean']['input']>;
  source?: InputMaybe<Source>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Person = Node & {
  __typename?: 'Person';
  /** Every account, expired ones included (active: false). */
  accounts: Array<Account>;
  /** Affiliations valid on `at` (default: today in TZ). */
  affiliations: Array<Affiliation>;
  birthDate?: Maybe<Scalars['Date']['output']>;
  contacts: Array<Contact>;
  externalIds: Array<ExternalId>;
  firstName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lastName?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  names: Array<PersonName>;
  /** Needs scope pii; null without it. */
  nationalId?: Maybe<Scalars['String']['output']>;
  /** The account flagged primary, or null when none is. */
  primaryAccount?: Maybe<Account>;
  /** The same person in the other enabled sources, matched by national id. */
  sameAs: Array<Person>;
  source: Source;
  /** FS study rights (studieretter), when FS is enabled. */
  studyRights: Array<StudyRight>;
};


export type PersonAffiliationsArgs = {
  at?: InputMaybe<Scalars['Date']['input']>;
};

export type PersonConnection = {
  __typename?: 'PersonConnection';
  edges: Array<PersonEdge>;
  pageInfo: PageInfo;
  totalCount?: Maybe<Scalars['Int']['output']>;
};

export type PersonEdge = {
  __typename?: 'PersonEdge';
  cursor: Scalars['String']['output'];
  node: Person;
};

export type PersonFilter = {
  at?: InputMaybe<Scalars['Date']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  organisationUnit?: InputMaybe<Scalars['ID']['input']>;
  source?: InputMaybe<Source>;
};

export type PersonName = {
  __typename?: 'PersonName';
  language?: Maybe<Scalars['String']['output']>;
  sourceSystem?: Maybe<Scalars['String']['output']>;
  value: Scalars['String']['output'];
  variant: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Cerebrum account by account name. */
  account?: Maybe<Account>;
  classes: ClassConnection;
  facets: Array<Facet>;
  itSystems: Array<ItSystem>;
  /** Any object with a global ID. */
  node?: Maybe<Node>;
  organisationUnit?: Maybe<OrganisationUnit>;
  /** Lists units of sources that can list them (LOS). Cerebrum REST has no OU listing: ask for a Cerebrum unit by id. */
  organisationUnits: OrganisationUnitConnection;
  person?: Maybe<Person>;
  /** Finds the person in every enabled source by national id (fødselsnummer / CPR). Needs scope pii. */
  personByNationalId?: Maybe<Person>;
  persons: PersonConnection;
  syncJob?: Maybe<SyncJob>;
  syncJobs: SyncJobConnection;
};


export type QueryAccountArgs = {
  name: Scalars['String']['input'];
};


export type QueryClassesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  facet?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrganisationUnitArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrganisationUnitsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrganisationUnitFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPersonArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPersonByNationalIdArgs = {
  nationalId: Scalars['String']['input'];
};


export type QueryPersonsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PersonFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySyncJobArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySyncJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<SyncKind>;
  state?: InputMaybe<SyncState>;
};

export type Source =
  | 'CEREBRUM'
  | 'FS'
  | 'LOS'
  | 'UNILOGIN';

export type StudyRight = {
  __typename?: 'StudyRight';
  from?: Maybe<Scalars['Date']['output']>;
  organisationUnit?: Maybe<OrganisationUnit>;
  programmeCode: Scalars['String']['output'];
  programmeName?: Maybe<Scalars['String']['output']>;
  status?: Maybe<Scalars['String']['output']>;
  to?: Maybe<Scalars['Date']['output']>;
};

/** A problem found in one input record: it names the file and line (or the record) and what was wrong. */
export type SyncIssue = {
  __typename?: 'SyncIssue';
  file?: Maybe<Scalars['String']['output']>;
  line?: Maybe<Scalars['Int']['output']>;
  message: Scalars['String']['output'];
  record?: Maybe<Scalars['String']['output']>;
  severity: Scalars['String']['output'];
};

export type SyncJob = Node & {
  __typename?: 'SyncJob';
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  dryRun: Scalars['Boolean']['output'];
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  issues: Array<SyncIssue>;
  kind: SyncKind;
  message?: Maybe<Scalars['String']['output']>;
  /** 0..1 */
  progress: Scalars['Float']['output'];
  result?: Maybe<SyncResult>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  state: SyncState;
};

export type SyncJobConnection = {
  __typename?: 'SyncJobConnection';
  edges: Array<SyncJobEdge>;
  pageInfo: PageInfo;
  totalCount?: Maybe<Scalars['Int']['output']>;
};

export type SyncJobEdge = {
  __typename?: 'SyncJobEdge';
  cursor: Scalars['String']['output'];
  node: SyncJob;
};

export type SyncKind =
  | 'CRISTIN_EXPORT'
  | 'FS_IMPORT'
  | 'LOS_IMPORT'
  | 'UNILOGIN_EXPORT';

export type SyncResult = {
  __typename?: 'SyncResult';
  created: Scalars['Int']['output'];
  details?: Maybe<Scalars['JSON']['output']>;
  failed: Scalars['Int']['output'];
  skipped: Scalars['Int']['output'];
  terminated: Scalars['Int']['output'];
  unchanged: Scalars['Int']['output'];
  updated: Scalars['Int']['output'];
};

export type SyncState =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type UniLoginExportMode =
  | 'DELETE'
  | 'FULL'
  | 'INCREMENTAL';

export type Source =
  | 'CEREBRUM'
  | 'FS'
  | 'LOS'
  | 'UNILOGIN';

export type PersonCardQueryVariables = Exact<{
  id: string | number;
}>;


export type PersonCardQuery = { person: { id: string, source: Source, name: string | null, firstName: string | null, lastName: string | null, birthDate: string | null, nationalId: string | null, accounts: Array<{ name: string, primary: boolean | null, primaryEmail: string | null, active: boolean, expireDate: string | null }>, primaryAccount: { name: string } | null, affiliations: Array<{ kind: string, status: string | null, from: string | null, to: string | null, organisationUnit: { id: string, name: string | null, acronym: string | null, stedkode: string | null } | null }> } | null };

export type OrganisationUnitCardQueryVariables = Exact<{
  id: string | number;
}>;


export type OrganisationUnitCardQuery = { organisationUnit: { id: string, source: Source, name: string | null, acronym: string | null, stedkode: string | null, userKey: string | null, contacts: Array<{ type: string, value: string, preference: number | null }> } | null };


export const PersonCardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PersonCard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"birthDate"}},{"kind":"Field","name":{"kind":"Name","value":"nationalId"}},{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"primary"}},{"kind":"Field","name":{"kind":"Name","value":"primaryEmail"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"expireDate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"primaryAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"affiliations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"organisationUnit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"acronym"}},{"kind":"Field","name":{"kind":"Name","value":"stedkode"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PersonCardQuery, PersonCardQueryVariables>;
export const OrganisationUnitCardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrganisationUnitCard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisationUnit"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"acronym"}},{"kind":"Field","name":{"kind":"Name","value":"stedkode"}},{"kind":"Field","name":{"kind":"Name","value":"userKey"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"preference"}}]}}]}}]}}]} as unknown as DocumentNode<OrganisationUnitCardQuery, OrganisationUnitCardQueryVariables>;