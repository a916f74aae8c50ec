import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createGateway } from './http';
import { Lifecycle } from './lifecycle';

/** `npm run serve`: the production API process. Sources without a URL are disabled, never simulated. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, { mode: 'serve' });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`idbro: invalid setting ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const life = new Lifecycle(logger);
  const gateway = createGateway({ config, logger });
  life.add('http', () => gateway.stop());
  const url = await gateway.listen(config.port);
  const enabled = [config.cerebrum && 'CEREBRUM', config.fs && 'FS', config.losFtpUrl && 'LOS', config.unilogin && 'UNILOGIN'].filter(Boolean);
  logger.info({ url: `${url}/graphql`, sources: enabled }, 'idbro gateway listening');
  if (!config.apiTokens) logger.warn('API_TOKENS is unset: every request will be refused with 401');
  life.handleSignals();
}

main().catch((e) => {
  console.error(`idbro: ${(e as Error).message}`);
  process.exit(1);
});
