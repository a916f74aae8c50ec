import 'reflect-metadata';
import { loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { createGateway } from './http';
import { Lifecycle } from './lifecycle';
import { startCerebrumSimulator } from '../simulators/cerebrum';

export const SAMPLE_QUERY = `# idbro demo: Cerebrum data from the built-in simulator.
query TorTest {
  person(id: "cerebrum:85073") {
    id
    name
    birthDate
    contacts { type value preference }
    accounts { name primary primaryEmail active contexts }
    affiliations {
      kind
      status
      from
      organisationUnit { id name acronym stedkode }
    }
  }
}
`;

export interface Demo { url: string; graphqlUrl: string; config: Config; stop(): Promise<void> }

/**
 * `npm start`: every source served by its simulator, the gateway (and, as later issues add them, a job
 * worker) in one process with embedded defaults. Settings from the environment still apply (PORT, …);
 * the source URLs point at the simulators.
 */
export async function startDemo(env: Record<string, string | undefined> = process.env, opts: { port?: number; quiet?: boolean } = {}): Promise<Demo> {
  const logger = createLogger(opts.quiet ? 'silent' : env.LOG_LEVEL ?? 'info');
  const life = new Lifecycle(logger);
  const cerebrumSim = await startCerebrumSimulator({ apiKey: 'demo-api-key' });
  const config = loadConfig({ ...env, CEREBRUM_URL: cerebrumSim.url, CEREBRUM_API_KEY: 'demo-api-key', CEREBRUM_API_KEY_HEADER: 'X-API-Key' }, { mode: 'demo' });
  const gateway = createGateway({ config, logger, defaultQuery: SAMPLE_QUERY });
  life.add('http', () => gateway.stop());
  life.add('cerebrum simulator', () => cerebrumSim.stop());
  const url = await gateway.listen(opts.port ?? config.port);
  return { url, graphqlUrl: `${url}/graphql`, config, stop: () => life.stop() };
}

if (require.main === module) {
  startDemo()
    .then((demo) => {
      console.log(`
idbro demo is running.

  GraphiQL:  ${demo.graphqlUrl}   (open in a browser)
  Health:    ${demo.url}/healthz, ${demo.url}/readyz

Every source is served by its built-in simulator. Try:

${SAMPLE_QUERY}
Or from a shell:
  curl -s ${demo.graphqlUrl} -H 'content-type: application/json' \\
    -d '{"query":"{ person(id: \\"cerebrum:85073\\") { name accounts { name primaryEmail } } }"}'

Stop with Ctrl+C.
`);
      const life = new Lifecycle();
      life.add('demo', async () => {
        console.log('idbro demo: stopping (HTTP drained, simulators closed)…');
        await demo.stop();
      });
      life.handleSignals();
    })
    .catch((e) => {
      console.error(`idbro demo failed to start: ${(e as Error).message}`);
      process.exit(1);
    });
}
