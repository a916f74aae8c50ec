import 'reflect-metadata';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { generateCerebrumData } from '../simulators/data/cerebrum-sample';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import { createGateway } from '../server/http';
import { composeSupergraph, startSupergraphGateway } from '../server/supergraph';
import { printIdbroSubgraphSchema } from '../server/subgraph';
import { ROOMS_SDL, startRoomsSubgraph } from '../simulators/rooms-subgraph';
import { printTable } from './table';
import { itemAt } from '../simulators/data/prng';
import { ask, type Msg } from './ipc';
import { minimum } from './cerebrum';

/**
 * bench/federation.ts — N Person representations in one `_entities` call: a query through the supergraph gateway
 * (@apollo/gateway over idbro and the rooms subgraph) for a course of N teachers, each with accounts (+details),
 * affiliations and their OUs, so the gateway sends idbro one `_entities` call with N representations. Beside it,
 * the same persons asked directly of idbro (N aliased `person(id:)`). Cerebrum simulator in its own process,
 * 5 ms latency per request, as in bench/cerebrum.ts; minimum = distinct resources the answer needs.
 */
const SIZES = [10, 100, 500];
const LATENCY_MS = 5;
const CONCURRENCY = 16;
const DATA_PERSONS = 600;
const SEED = 1;
const REPEATS = 5;
const FIELDS =
  'name accounts { name primaryEmail active createdAt } affiliations { status organisationUnit { name stedkode } }';

export async function benchFederation(): Promise<Record<string, string | number>[]> {
  const child = fork(join(__dirname, 'sim-process.js'), [String(DATA_PERSONS), String(LATENCY_MS)], {
    stdio: 'inherit',
  });
  const ready = await new Promise<Msg>((resolve) => child.once('message', resolve));
  const ids = [...generateCerebrumData({ persons: DATA_PERSONS, seed: SEED }).persons.keys()];
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());
  const rows: Record<string, string | number>[] = [];
  const config = loadConfig({
    CEREBRUM_URL: String(ready.url),
    CEREBRUM_API_KEY: 'bench-key',
    CEREBRUM_CONCURRENCY: String(CONCURRENCY),
    API_TOKENS: 'bench=read',
    MAX_QUERY_COST: '1000000',
    LOG_LEVEL: 'silent',
  });
  let idbroRequests = 0;
  const idbro = createGateway({
    config,
    logger: createLogger('silent'),
    onRequestStats: () => {
      idbroRequests++;
    },
  });
  const rooms = await startRoomsSubgraph({
    data: {
      rooms: [],
      courses: SIZES.map((n) => ({
        code: `BENCH${n}`,
        title: `${n} teachers`,
        unitId: '',
        roomId: '',
        teacherIds: ids.slice(0, n).map((id) => `cerebrum:${id}`),
      })),
    },
  });
  let gw: Awaited<ReturnType<typeof startSupergraphGateway>> | undefined;
  try {
    const idbroUrl = await idbro.listen(0, '127.0.0.1');
    gw = await startSupergraphGateway({
      supergraphSdl: composeSupergraph([
        { name: 'idbro', url: `${idbroUrl}/graphql`, sdl: printIdbroSubgraphSchema() },
        { name: 'rooms', url: rooms.graphqlUrl, sdl: ROOMS_SDL },
      ]),
    });
    const post = async (url: string, query: string) => {
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(`bench query failed: ${JSON.stringify(body.errors[0])}`);
      return performance.now() - t0;
    };
    const paths = {
      'gateway → _entities': (n: number) =>
        post(`${gw!.url}/graphql`, `{ course(code: "BENCH${n}") { teachers { ${FIELDS} } } }`),
      'idbro direct (aliases)': (n: number) =>
        post(
          `${idbroUrl}/graphql`,
          `{ ${ids
            .slice(0, n)
            .map((id, i) => `p${i}: person(id: "cerebrum:${id}") { ${FIELDS} }`)
            .join(' ')} }`,
        ),
    };
    for (const run of Object.values(paths)) for (const n of SIZES) await run(n); // warm-up: JIT, socket pools, query plans
    for (const n of SIZES) {
      for (const [path, run] of Object.entries(paths)) {
        // Median of REPEATS runs (by wall time); the simulator's counters are from the last run.
        const walls: number[] = [];
        let sim: Msg = { op: '' };
        for (let i = 0; i < REPEATS; i++) {
          await ask(child, 'reset');
          idbroRequests = 0;
          walls.push(await run(n));
          sim = await ask(child, 'stats');
        }
        walls.sort((a, b) => a - b);
        rows.push({
          persons: n,
          path,
          'GraphQL requests to idbro': idbroRequests,
          'upstream requests': Number(sim.total),
          minimum: minimum(ids.slice(0, n), today),
          'wall ms (median of 5)': itemAt(walls, Math.floor(REPEATS / 2)).toFixed(0),
        });
      }
    }
  } finally {
    await gw?.stop();
    await rooms.stop();
    await idbro.stop();
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ op: 'stop' });
    await exited;
  }
  printTable(
    `Federation: N Person representations in one _entities call through @apollo/gateway, beside N aliased persons asked of idbro; ${LATENCY_MS} ms upstream latency`,
    rows,
  );
  return rows;
}

if (require.main === module) {
  benchFederation().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
