import { createReadStream, promises as fs } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeLosDelivery, type LosDeliveryManifest, type LosDeliveryOptions } from '../../simulators/data/los-sample';
import { startLosFtpSimulator, type LosFtpSimulator } from '../../simulators/los-ftp';
import { startDarSimulator, type DarBookEntry, type DarSimulator } from '../../simulators/dar';
import { readCsv } from '../../datasources/los/csv';
import { openStore, type Db } from '../../store/db';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import type { SyncRunContext, SyncOutcome } from '../../jobs/framework/types';
import type { NewSyncIssue } from '../../store/sync-jobs.repo';
import { uuidV5 } from '../../datasources/los/ids';
import { nth } from './defined';

/**
 * A LOS delivery staged day by day: `deliver(day)` copies that day's files into the folder the FTP simulator
 * serves, with a modification time after every import so far (as a new delivery would have).
 */
export interface LosBed {
  manifest: LosDeliveryManifest;
  ftp: LosFtpSimulator;
  dar: DarSimulator;
  /** Texts DAR answers with kategori C (no safe match). */
  unknownAddresses: string[];
  root: string;
  deliver(day: number | 'all'): Promise<void>;
  stop(): Promise<void>;
}

export async function startLosBed(opts: LosDeliveryOptions & { failAddresses?: number } = {}): Promise<LosBed> {
  const staging = await mkdtemp(join(tmpdir(), 'idbro-los-stage-'));
  const root = await mkdtemp(join(tmpdir(), 'idbro-los-ftp-'));
  const manifest = await writeLosDelivery(staging, opts);
  // Every PostAdresse of the delivery becomes a DAR entry (kategori A), except `failAddresses` of them (C).
  const texts = new Set<string>();
  for (const f of manifest.files.filter((x) => x.name.startsWith('Org_'))) {
    for await (const row of readCsv(createReadStream(join(staging, f.name)), f.name, { columns: null })) {
      if (row.record.PostAdresse) texts.add(row.record.PostAdresse);
    }
  }
  const book: Record<string, DarBookEntry> = {};
  const unknownAddresses: string[] = [];
  [...texts].sort().forEach((t, i) => {
    const fail = i < (opts.failAddresses ?? 0);
    if (fail) unknownAddresses.push(t);
    book[t] = { id: uuidV5(t, '11111111-2222-3333-4444-555555555555'), betegnelse: t, kategori: fail ? 'C' : 'A' };
  });
  const ftp = await startLosFtpSimulator({ root });
  const dar = await startDarSimulator({ addresses: book });
  return {
    manifest,
    ftp,
    dar,
    unknownAddresses,
    root,
    async deliver(day) {
      const names =
        day === 'all'
          ? manifest.files.map((f) => f.name)
          : nth(manifest.days, day).files.concat(
              day === 0 ? manifest.files.filter((f) => f.name.startsWith('STAM_')).map((f) => f.name) : [],
            );
      const when = new Date(Date.now() + 2000); // later than any run that started before this delivery
      for (const name of new Set(names)) {
        await fs.copyFile(join(staging, name), join(root, name));
        if (day !== 'all') await fs.utimes(join(root, name), when, when);
      }
    },
    async stop() {
      await ftp.stop();
      await dar.stop();
      await fs.rm(staging, { recursive: true, force: true });
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

export interface FakeRun {
  ctx: SyncRunContext;
  issues: NewSyncIssue[];
  progress: number[];
  logs: string[];
  /** Aborts the run's signal, as a cancel (reason 'cancel') or a shutdown would. */
  abort(reason?: unknown): void;
}

export interface FakeRunOptions {
  dryRun?: boolean;
  /** Default LOS_IMPORT. */
  kind?: SyncRunContext['kind'];
  /** The mutation's arguments as the worker passes them (e.g. { mode: 'FULL' }, { force: true }). */
  params?: Record<string, unknown>;
}

/** A SyncRunContext without BullMQ, for calling a sync directly. */
export function fakeRun(store: Db, env: Record<string, string>, o: FakeRunOptions = {}): FakeRun {
  const issues: NewSyncIssue[] = [];
  const progress: number[] = [];
  const logs: string[] = [];
  const controller = new AbortController();
  const sink = new Writable({
    write(chunk, _e, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const ctx: SyncRunContext = {
    jobId: `test-${Math.random().toString(36).slice(2)}`,
    kind: o.kind ?? 'LOS_IMPORT',
    dryRun: o.dryRun ?? false,
    params: o.params ?? {},
    attempt: 1,
    signal: controller.signal,
    store,
    config: loadConfig(env),
    logger: createLogger('debug', sink),
    progress: (f) => {
      progress.push(f);
    },
    issue: (i) => {
      issues.push(i);
    },
  };
  return { ctx, issues, progress, logs, abort: (reason) => controller.abort(reason) };
}

/** Every LOS table, sorted, as one JSON string: two stores in the same state give the same snapshot. */
export async function losSnapshot(db: Db): Promise<string> {
  const tables: Record<string, string> = {
    los_organisation: 'uuid',
    los_facets: 'user_key',
    los_classes: 'uuid',
    los_it_systems: 'uuid',
    los_org_units: 'uuid, valid_from',
    los_persons: 'uuid',
    los_engagements: 'uuid, valid_from',
    los_managers: 'uuid, valid_from',
  };
  const out: Record<string, unknown[]> = {};
  for (const [t, order] of Object.entries(tables))
    out[t] = (await db.query(`SELECT * FROM ${t} ORDER BY ${order}`)).rows;
  return JSON.stringify(out);
}

export async function memoryStore(): Promise<Db> {
  return openStore({ memory: true });
}

export type { SyncOutcome };
