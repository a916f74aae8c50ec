import { startFsSimulator, type FsSimulator, type FsSimulatorOptions } from '../../simulators/fs';
import { startStack, type Stack } from './gateway';
import type { GatewayOptions } from '../../server/http';
import type { CerebrumSimulatorOptions } from '../../simulators/cerebrum';

export const FS_USER = 'idbro-fs-test';
/** Distinctive, so a test can search every log line and response for it. */
export const FS_PASSWORD = 'Fs-p4ss/wörd:with+odd=chars';

export interface FsStack extends Stack {
  fsSim: FsSimulator;
}

/**
 * The Cerebrum simulator, the FS simulator and a gateway configured for both (FS_URL, FS_USERNAME, FS_PASSWORD),
 * all on loopback. `fsEnv` overrides the FS settings given to the gateway (e.g. a wrong password, or FS_URL ''
 * to disable FS).
 */
export async function startFsStack(
  o: {
    fs?: FsSimulatorOptions;
    sim?: CerebrumSimulatorOptions;
    fsEnv?: Record<string, string>;
    env?: Record<string, string>;
    gateway?: Partial<GatewayOptions>;
  } = {},
): Promise<FsStack> {
  const fsSim = await startFsSimulator({ username: FS_USER, password: FS_PASSWORD, ...o.fs });
  let stack: Stack;
  try {
    stack = await startStack({
      sim: o.sim,
      gateway: o.gateway,
      env: { FS_URL: fsSim.graphqlUrl, FS_USERNAME: FS_USER, FS_PASSWORD, ...o.fsEnv, ...o.env },
    });
  } catch (e) {
    await fsSim.stop();
    throw e;
  }
  const stopStack = stack.stop.bind(stack);
  return Object.assign(stack, {
    fsSim,
    async stop() {
      await stopStack();
      await fsSim.stop();
    },
  });
}
