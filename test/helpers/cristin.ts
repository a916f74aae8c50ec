/**
 * Helpers for the Cristin export tests: a SyncRunContext of kind CRISTIN_EXPORT without BullMQ (test/helpers/
 * los-delivery.ts's fakeRun, with the mutation's params and progress messages kept), and a strict XML parser
 * (sax in strict mode: any well-formedness error throws) that turns the document into a small tree to query.
 */
import type { SyncRunContext } from '../../jobs/framework/types';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCerebrumSimulator, sampleUniversity, type CerebrumSimulator } from '../../simulators/cerebrum';
import { openStore, type Db } from '../../store/db';
import type { NewSyncIssue } from '../../store/sync-jobs.repo';
import { fakeRun } from './los-delivery';
import { first, last } from './defined';

// sax ships no types; it is the SOAP stack's parser (a dependency of `soap`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sax = require('sax') as {
  parser(
    strict: boolean,
    opts: Record<string, unknown>,
  ): {
    onerror: (e: Error) => void;
    onopentag: (t: { name: string; attributes: Record<string, string> }) => void;
    onclosetag: () => void;
    ontext: (t: string) => void;
    write(s: string): { close(): void };
  };
};

export interface CristinRun {
  ctx: SyncRunContext;
  issues: NewSyncIssue[];
  progress: { fraction: number; message?: string }[];
  logs: string[];
  /** Aborts the run's signal as a cancel would (reason 'cancel'). */
  abort(): void;
}

/** A run of the Cristin export as the worker would start it (`params.force` as the mutation passes it). */
export function cristinRun(
  store: Db,
  env: Record<string, string>,
  o: { dryRun?: boolean; force?: boolean } = {},
): CristinRun {
  const run = fakeRun(store, env, { dryRun: o.dryRun, kind: 'CRISTIN_EXPORT', params: { force: o.force ?? false } });
  const progress: CristinRun['progress'] = [];
  run.ctx.progress = (fraction, message) => {
    progress.push({ fraction, message });
  };
  return { ctx: run.ctx, issues: run.issues, progress, logs: run.logs, abort: () => run.abort('cancel') };
}

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** Parses XML text strictly (throws on any well-formedness error) into a tree; text is trimmed. */
export function parseXml(text: string): XmlNode {
  const parser = sax.parser(true, { trim: false });
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  let error = null as Error | null; // set by the callbacks, which the compiler's narrowing does not see
  parser.onerror = (e) => {
    error ??= e;
    throw e;
  };
  // The open element; the document when none is (a close tag without its open tag is a sax error).
  const top = () => last(stack, 'the open elements');
  parser.onopentag = (t) => {
    const node: XmlNode = { name: t.name, attrs: { ...t.attributes }, children: [], text: '' };
    top().children.push(node);
    stack.push(node);
  };
  parser.onclosetag = () => {
    const node = stack.pop()!;
    node.text = node.text.trim();
  };
  parser.ontext = (t) => {
    top().text += t;
  };
  parser.write(text).close();
  if (error) throw error;
  if (root.children.length !== 1) throw new Error(`expected one root element, got ${root.children.length}`);
  return first(root.children);
}

/** Children named `name` (direct only). */
export const kids = (n: XmlNode, name: string): XmlNode[] => n.children.filter((c) => c.name === name);
/** The one child named `name`, or undefined. */
export const kid = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => c.name === name);
/** Text of the child named `name`, or undefined when the element is absent. */
export const val = (n: XmlNode, name: string): string | undefined => kid(n, name)?.text;

/** The unit key of an enhet/ansettelse/gjest: "inst/avd/undavd/gruppe" (suffix 'Under' for the parent). */
export const keyText = (n: XmlNode, suffix = ''): string =>
  ['institusjonsnr', 'avdnr', 'undavdnr', 'gruppenr'].map((f) => val(n, `${f}${suffix}`)).join('/');

export interface CristinBed {
  sim: CerebrumSimulator;
  store: Db;
  dataDir: string;
  /** The Cristin export's settings for this bed (Cerebrum URL and key, institution 185, DATA_DIR, TZ). */
  env: Record<string, string>;
  /** A function property, not a method: tests destructure it from the bed. */
  stop: () => Promise<void>;
}

/** A Cerebrum simulator with an API key, an in-memory store and a temporary DATA_DIR, for Cristin export tests. */
export async function startCristinBed(apiKey: string, name: string): Promise<CristinBed> {
  const sim = await startCerebrumSimulator({ apiKey });
  const store = await openStore({ memory: true });
  const dataDir = mkdtempSync(join(tmpdir(), `idbro-${name}-`));
  const env = {
    CEREBRUM_URL: sim.url,
    CEREBRUM_API_KEY: apiKey,
    CRISTIN_INSTITUTION: '185',
    DATA_DIR: dataDir,
    TZ: 'Europe/Oslo',
    LOG_LEVEL: 'silent',
  };
  return {
    sim,
    store,
    dataDir,
    env,
    async stop() {
      await sim.stop();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Before each test: the sample university afresh, counters at zero, and no incremental snapshot (so no drift report) carried over. */
export async function resetCristinBed(bed: Pick<CristinBed, 'sim' | 'store'>): Promise<void> {
  bed.sim.data = sampleUniversity();
  bed.sim.stats.reset();
  await bed.store.query('DELETE FROM cristin_snapshot_persons');
  await bed.store.query('DELETE FROM cristin_snapshot_units');
}
