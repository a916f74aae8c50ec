/**
 * Helpers for the UNI-Login export tests: the WS10 simulator's settings, a fake job context for the export, the
 * seed's test vectors (test/fixtures/unilogin, copied from seed 003 with the lost digits reconstructed — see the
 * README there), and a small tag scanner to compare SOAP envelopes by shape (namespaces and element names).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../store/db';
import { fakeRun, type FakeRun } from './los-delivery';
import type { UniLoginSimulator } from '../../simulators/unilogin';
import { UNITS } from './los-fixtures';
import { first, last } from './defined';

export const INSTITUTION = 'A10035';
export const SOURCE = 'idbro';
export const USER = 'idbro-ws';
/** Distinctive, so a test can search every log line, issue and message for it. */
export const PASSWORD = 'Hemmelig-Kode-7731!';

export function fixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'unilogin', name), 'utf8');
}

/** Settings for an export to `sim`, exporting the LOS fixture organisation under Aarhus Kommune. */
export function uniloginEnv(
  sim: Pick<UniLoginSimulator, 'url'>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    UNILOGIN_URL: sim.url,
    UNILOGIN_USER: USER,
    UNILOGIN_PASSWORD: PASSWORD,
    UNILOGIN_INSTITUTION: INSTITUTION,
    UNILOGIN_SOURCE: SOURCE,
    UNILOGIN_ROOT_OU: `los:${UNITS.aarhus}`,
    UNILOGIN_EMPLOYEE_TYPES: 'Lærer=lærer;Pædagog=pæd',
    UNILOGIN_TIMEOUT_MS: '20000',
    TZ: 'Europe/Copenhagen',
    ...extra,
  };
}

/** A fake job context for the export (no BullMQ), with mode and dry run set. */
export function exportRun(
  store: Db,
  env: Record<string, string>,
  mode: 'FULL' | 'INCREMENTAL' | 'DELETE' | undefined,
  o: { dryRun?: boolean } = {},
): FakeRun {
  return fakeRun(store, env, { ...o, kind: 'UNILOGIN_EXPORT', params: mode ? { mode } : {} });
}

export interface ShapeNode {
  ns: string;
  name: string;
  children: ShapeNode[];
}

/**
 * The element tree of an XML text as (namespace, local name), `depth` levels deep; comments, processing
 * instructions and text ignored. Enough XML for comparing envelopes: no CDATA, no DTD.
 */
export function shapeOf(xml: string, depth = 6): ShapeNode {
  const root: ShapeNode = { ns: '', name: '#document', children: [] };
  const stack: { node: ShapeNode; scope: Record<string, string> }[] = [{ node: root, scope: { '': '' } }];
  const tags = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([\w.:-]+)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  for (const m of xml.matchAll(tags)) {
    if (!m[2]) continue;
    const [, closing, qname = '', attrs = '', selfClosing] = m; // groups 2 and 3 always take part
    if (closing) {
      stack.pop();
      continue;
    }
    const scope = { ...last(stack, 'the open elements').scope };
    for (const [, attr = '', doubleQuoted, singleQuoted] of attrs.matchAll(
      /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g,
    )) {
      const value = doubleQuoted ?? singleQuoted ?? ''; // one of the two takes part
      if (attr === 'xmlns') scope[''] = value;
      else if (attr.startsWith('xmlns:')) scope[attr.slice(6)] = value;
    }
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? '' : qname.slice(0, colon);
    const node: ShapeNode = { ns: scope[prefix] ?? `?${prefix}`, name: qname.slice(colon + 1), children: [] };
    if (stack.length <= depth) last(stack, 'the open elements').node.children.push(node);
    if (!selfClosing) stack.push({ node, scope });
  }
  return first(root.children, 'the elements of the document');
}

/** The path of element names (with namespaces) from the root down through the first child named each time. */
export function pathOf(node: ShapeNode, names: string[]): ShapeNode[] {
  const out = [node];
  let at = node;
  for (const n of names) {
    const next = at.children.find((c) => c.name === n);
    if (!next) break;
    out.push(next);
    at = next;
  }
  return out;
}
