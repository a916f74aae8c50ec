/**
 * The closed error vocabulary and the one cursor codec (architecture.md, convention 4; core/errors, core/cursor.ts):
 * every code an error class can give a client is in ERROR_CODES, and every listing refuses a cursor it did not make
 * (garbage, tampered, another listing's) with BAD_USER_INPUT over GraphQL, through the real gateway and store.
 */
import { randomUUID } from 'node:crypto';
import * as errors from '../core/errors';
import {
  BadUserInputError,
  ERROR_CODES,
  ForbiddenError,
  GatewayError,
  InternalError,
  InvalidCursorError,
  SourceDisabledError,
  UnauthenticatedError,
  UpstreamError,
  clientCodeOf,
  isErrorCode,
} from '../core/errors';
import { cursorCodec, isNonEmptyString } from '../core/cursor';
import { RequestBudgetExceeded, ClientDisconnected } from '../core/request-budget';
import { offsetCursor, parseOffsetCursor } from '../schema/connections';
import { keysetCursor, parseKeysetCursor } from '../datasources/los/reader/cursor';
import { openStore, type Db } from '../store/db';
import { ActiveSyncJobExistsError, SyncJobsRepo, syncJobCursor } from '../store/sync-jobs.repo';
import { fsDecisionCursor } from '../store/fs-decisions.repo';
import { LeaseLostError } from '../store/sync-leases.repo';
import { RedisUnavailableError } from '../jobs/framework/redis';
import {
  SyncJobNotFoundError,
  SyncKindUnavailableError,
  SyncQueueUnavailableError,
} from '../jobs/framework/sync-service';
import { PermanentSyncError, SyncCancelledError } from '../jobs/framework/types';
import { CristinWalkError } from '../jobs/cristin-export/walk';
import { FsImportConfigError } from '../jobs/fs-import/rules/config';
import { StoreError } from '../store/db';
import { UniLoginError } from '../datasources/unilogin/client';
import { UniLoginHttpError } from '../datasources/unilogin/transport';
import { startStack, type Stack } from './helpers/gateway';

type ErrorClass = abstract new (...args: never[]) => Error;
const upstream = { status: 503, method: 'GET', path: '/v1/persons/1' };

/** One instance of every public error class: those of core/errors and the modules' own, which extend them. */
const SAMPLES: [ErrorClass, Error][] = [
  [GatewayError, new GatewayError('UPSTREAM_UNAVAILABLE', 'x')],
  [UnauthenticatedError, new UnauthenticatedError()],
  [ForbiddenError, ForbiddenError.forScope('pii', 'nationalId')],
  [BadUserInputError, new BadUserInputError('x')],
  [InvalidCursorError, new InvalidCursorError()],
  [SourceDisabledError, new SourceDisabledError('x')],
  [UpstreamError, new UpstreamError('UPSTREAM_TIMEOUT', 'FS', 'x', upstream)],
  [InternalError, new InternalError('SOMETHING', 'x')],
  [RequestBudgetExceeded, new RequestBudgetExceeded(10)],
  [ClientDisconnected, new ClientDisconnected()],
  [ActiveSyncJobExistsError, new ActiveSyncJobExistsError('LOS_IMPORT')],
  [LeaseLostError, new LeaseLostError('LOS_IMPORT')],
  [RedisUnavailableError, new RedisUnavailableError('x')],
  [SyncKindUnavailableError, new SyncKindUnavailableError('FS_IMPORT')],
  [SyncJobNotFoundError, new SyncJobNotFoundError('x')],
  [SyncQueueUnavailableError, new SyncQueueUnavailableError('x')],
  [PermanentSyncError, new PermanentSyncError('x')],
  [SyncCancelledError, new SyncCancelledError()],
  [CristinWalkError, new CristinWalkError('x')],
  [FsImportConfigError, new FsImportConfigError('file', ['x'])],
  [StoreError, new StoreError('STORE_UNAVAILABLE', 'x')],
  [UniLoginError, new UniLoginError('x', 'timeout', true)],
  [UniLoginHttpError, new UniLoginHttpError('x', undefined, 'ECONNREFUSED')],
];

/** The codes a class declares it can produce (static `codes`, inherited from its core base). */
const codesOf = (c: ErrorClass): readonly string[] => (c as unknown as { codes?: readonly string[] }).codes ?? [];

describe('the closed error vocabulary', () => {
  it('core/errors exports a class of every kind, each declaring codes of the closed list only', () => {
    const classes = Object.values(errors).filter(
      (v: unknown): v is ErrorClass => typeof v === 'function' && v.prototype instanceof Error,
    );
    expect(classes.length).toBeGreaterThanOrEqual(8);
    for (const c of classes) {
      // A class without a sample here would go unchecked: add one to SAMPLES.
      expect(SAMPLES.map(([k]) => k)).toContain(c);
    }
    for (const [c] of SAMPLES) {
      expect(codesOf(c).length).toBeGreaterThan(0);
      for (const code of codesOf(c)) expect(ERROR_CODES).toContain(code);
    }
  });

  it('every error, once at the boundary, carries one code of the list, and one its class declares', () => {
    for (const [c, e] of SAMPLES) {
      const code = clientCodeOf(e);
      expect(isErrorCode(code)).toBe(true);
      expect(codesOf(c)).toContain(code);
      if (e instanceof GatewayError) expect(e.extensions.code).toBe(code);
      if (e instanceof UpstreamError) expect(e.toGraphQLError().extensions.code).toBe(code);
    }
    // The kinds raised as GraphQLErrors carry their own; upstream errors theirs; internal ones are masked.
    expect(clientCodeOf(new SyncKindUnavailableError('FS_IMPORT'))).toBe('SOURCE_DISABLED');
    expect(clientCodeOf(new InvalidCursorError())).toBe('BAD_USER_INPUT');
    expect(clientCodeOf(new ActiveSyncJobExistsError('LOS_IMPORT'))).toBe('INTERNAL_SERVER_ERROR');
    expect(clientCodeOf(new TypeError('x'))).toBe('INTERNAL_SERVER_ERROR');
  });

  it('internal errors name their reason apart from extensions.code', () => {
    const active = new ActiveSyncJobExistsError('LOS_IMPORT');
    expect(active.reason).toBe('SYNC_JOB_ACTIVE');
    expect(active.name).toBe('ActiveSyncJobExistsError');
    expect(new RedisUnavailableError('x').reason).toBe('REDIS_UNAVAILABLE');
    for (const [, e] of SAMPLES) {
      if (e instanceof InternalError) expect((e as { extensions?: unknown }).extensions).toBeUndefined();
    }
  });

  it('the helpers still build the same GraphQL errors', () => {
    expect(errors.badInput('no', { setting: 'X' }).extensions).toEqual({ code: 'BAD_USER_INPUT', setting: 'X' });
    expect(errors.unauthenticated().extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(errors.forbidden('sync', 'startLosImport').message).toBe(
      'startLosImport needs scope "sync", which this token does not have.',
    );
    expect(errors.gqlError('SOURCE_DISABLED', 'off', { kind: 'FS' }).extensions).toEqual({
      code: 'SOURCE_DISABLED',
      kind: 'FS',
    });
  });
});

describe('the cursor codec', () => {
  const codec = cursorCodec('test_a', { is: isNonEmptyString });
  const other = cursorCodec('test_b', { is: isNonEmptyString });

  it('round-trips, and every listing reads back what it wrote', () => {
    for (const v of ['x', 'æøå 🙂', 'a:b/c?d=e', '0'.repeat(300)]) expect(codec.decode(codec.encode(v))).toBe(v);
    expect(codec.encode('x')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parseOffsetCursor(offsetCursor(41))).toBe(42);
    const uuid = randomUUID();
    expect(parseKeysetCursor(keysetCursor({ _sort: 'Økonomi\u0000x', uuid }))).toEqual({
      sortKey: 'Økonomi\u0000x',
      uuid,
    });
  });

  it('refuses garbage, tampered and foreign cursors with InvalidCursorError (BAD_USER_INPUT)', () => {
    const good = codec.encode('job-1');
    const flipped = `${good.slice(0, 5)}${good[5] === 'A' ? 'B' : 'A'}${good.slice(6)}`;
    for (const bad of ['', 'garbage', 'not-a-cursor', `${good}=`, `${good}.`, flipped, other.encode('job-1')]) {
      let caught: unknown;
      try {
        codec.decode(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidCursorError);
      expect(clientCodeOf(caught)).toBe('BAD_USER_INPUT');
    }
    expect(() => cursorCodec('test_b', { is: isNonEmptyString })).toThrow(/already used/);
  });

  describe('over GraphQL', () => {
    let store: Db;
    let stack: Stack;
    let jobId: string;

    beforeAll(async () => {
      store = await openStore({ memory: true });
      jobId = randomUUID();
      await new SyncJobsRepo(store).create({ id: jobId, kind: 'LOS_IMPORT' });
      stack = await startStack({ gateway: { store } });
    });
    afterAll(async () => {
      await stack?.stop();
      await store?.close();
    });

    const codeOf = async (query: string, variables?: Record<string, unknown>) => {
      const { body } = await stack.gql(query, variables);
      expect(body.errors).toHaveLength(1);
      return body.errors[0].extensions.code as string;
    };

    it('a listing reads its own cursor', async () => {
      const { body } = await stack.gql('query($after: String) { syncJobs(after: $after) { totalCount } }', {
        after: syncJobCursor({ id: jobId }),
      });
      expect(body.errors).toBeUndefined();
      expect(body.data.syncJobs.totalCount).toBe(1);
    });

    it('refuses garbage and tampered cursors', async () => {
      expect(await codeOf('{ syncJobs(after: "garbage") { totalCount } }')).toBe('BAD_USER_INPUT');
      const tampered = `${syncJobCursor({ id: jobId })}=`;
      expect(await codeOf('query($a: String) { syncJobs(after: $a) { totalCount } }', { a: tampered })).toBe(
        'BAD_USER_INPUT',
      );
      expect(await codeOf('{ organisationUnits(after: "garbage") { totalCount } }')).toBe('BAD_USER_INPUT');
      expect(await codeOf('{ fsImportDecisions(after: "garbage") { totalCount } }')).toBe('BAD_USER_INPUT');
      expect(await codeOf('{ persons(after: "garbage") { totalCount } }')).toBe('BAD_USER_INPUT');
    });

    it("refuses one listing's cursor in another", async () => {
      const losCursor = keysetCursor({ _sort: 'a', uuid: randomUUID() });
      const cases: [string, string][] = [
        ['query($a: String) { syncJobs(after: $a) { totalCount } }', losCursor],
        ['query($a: String) { syncJobs(after: $a) { totalCount } }', offsetCursor(0)],
        ['query($a: String) { organisationUnits(after: $a) { totalCount } }', syncJobCursor({ id: jobId })],
        ['query($a: String) { fsImportDecisions(after: $a) { totalCount } }', offsetCursor(0)],
        ['query($a: String) { persons(after: $a) { totalCount } }', fsDecisionCursor('k')],
        [
          `query($a: String) { syncJob(id: "sync:${jobId}") { issues(after: $a) { line } } }`,
          syncJobCursor({ id: jobId }),
        ],
      ];
      for (const [query, a] of cases) expect([query, await codeOf(query, { a })]).toEqual([query, 'BAD_USER_INPUT']);
    });
  });
});
