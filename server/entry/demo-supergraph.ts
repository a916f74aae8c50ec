import 'reflect-metadata';
import { loadConfig } from '../../core/config';
import { Lifecycle } from '../../core/lifecycle';
import { startDemo, type Demo } from './demo';
import { composeSupergraph, startSupergraphGateway } from '../supergraph';
import { printIdbroSubgraphSchema } from '../subgraph';
import { ROOMS_SDL, startRoomsSubgraph } from '../../simulators/rooms-subgraph';

/** Starts in the rooms subgraph, enters idbro through `_entities` (teachers) and comes back (their units' rooms). */
export const SUPERGRAPH_QUERY = `query CourseTeachersAndTheirRooms {
  course(code: "IN2010") {
    title
    room { name building }
    teachers {
      id
      name
      courses { code }
      affiliations {
        status
        organisationUnit { id name rooms { name capacity } }
      }
    }
  }
}`;

export interface SupergraphDemo {
  demo: Demo;
  roomsUrl: string;
  gatewayUrl: string;
  stop(): Promise<void>;
}

/**
 * `npm run start:supergraph`: the `npm start` demo, the sample rooms-and-courses subgraph and a gateway over both.
 * The supergraph is composed at start-up from the two SDLs (no Apollo Studio, no uplink; only loopback).
 */
export async function startSupergraphDemo(
  env: Record<string, string | undefined> = process.env,
  opts: { port?: number; gatewayPort?: number; quiet?: boolean } = {},
): Promise<SupergraphDemo> {
  const config = loadConfig(env, { mode: 'demo' });
  const demo = await startDemo(env, { port: opts.port, quiet: opts.quiet });
  // Stopped front first: the gateway, then the rooms subgraph, then the demo (idbro and its simulators).
  const started: { name: string; stop: () => Promise<unknown> }[] = [{ name: 'demo', stop: () => demo.stop() }];
  const stopAll = async () => {
    const life = new Lifecycle();
    for (const s of [...started].reverse()) life.add(s.name, s.stop);
    await life.stop();
  };
  try {
    const rooms = await startRoomsSubgraph();
    started.push({ name: 'rooms subgraph', stop: () => rooms.stop() });
    const supergraphSdl = composeSupergraph([
      { name: 'idbro', url: demo.graphqlUrl, sdl: printIdbroSubgraphSchema() },
      { name: 'rooms', url: rooms.graphqlUrl, sdl: ROOMS_SDL },
    ]);
    const gw = await startSupergraphGateway({
      supergraphSdl,
      port: opts.gatewayPort ?? config.supergraphPort,
      host: '0.0.0.0',
    });
    started.push({ name: 'supergraph gateway', stop: () => gw.stop() });
    let stopping: Promise<void> | undefined;
    return { demo, roomsUrl: rooms.graphqlUrl, gatewayUrl: `${gw.url}/graphql`, stop: () => (stopping ??= stopAll()) };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

if (require.main === module) {
  startSupergraphDemo()
    .then((s) => {
      const body = JSON.stringify({ query: SUPERGRAPH_QUERY.replace(/\s+/g, ' ') });
      console.log(`
idbro supergraph demo is running.

  idbro (subgraph, GraphiQL):  ${s.demo.graphqlUrl}
  rooms (sample subgraph):     ${s.roomsUrl}
  supergraph gateway:          ${s.gatewayUrl}

A cross-subgraph query (rooms → idbro → rooms):

${SUPERGRAPH_QUERY}

From a shell:
  curl -s ${s.gatewayUrl} -H 'content-type: application/json' -d '${body}'

Stop with Ctrl+C.
`);
      const life = new Lifecycle();
      life.add('supergraph demo', () => s.stop());
      life.handleSignals();
    })
    .catch((e) => {
      console.error(`idbro supergraph demo failed to start: ${(e as Error).message}`);
      process.exit(1);
    });
}
