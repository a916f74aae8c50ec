/**
 * `npm start` with change events: which RabbitMQ the demo uses, and an occasional change to the simulated Cerebrum
 * (published as Cerebrum would), so the demo shows the cache following live updates.
 */
import amqp from 'amqplib';
import type { Logger } from '../core/logger';
import type { CerebrumSimulator } from './cerebrum';

const LOCAL_RABBITMQ = 'amqp://guest:guest@127.0.0.1:5672';
/** Seconds between demo changes. */
const CHANGE_EVERY_S = 60;

/** CEREBRUM_EVENTS_URL when set; else the local RabbitMQ if it answers within 2 s; else none (with a log line saying so). */
export async function demoEventsUrl(
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<string | undefined> {
  if (env.CEREBRUM_EVENTS_URL?.trim()) return env.CEREBRUM_EVENTS_URL.trim();
  try {
    const conn = await amqp.connect(LOCAL_RABBITMQ, { timeout: 2000 });
    await conn.close();
    logger.info(
      { url: 'amqp://127.0.0.1:5672' },
      'demo: Cerebrum change events through the local RabbitMQ (set CEREBRUM_EVENTS_URL to use another)',
    );
    return LOCAL_RABBITMQ;
  } catch {
    logger.warn(
      'demo: RabbitMQ does not answer at 127.0.0.1:5672 — Cerebrum change events and the Cerebrum cache are off (start RabbitMQ or set CEREBRUM_EVENTS_URL)',
    );
    return undefined;
  }
}

/** Every minute Tor Test (85073) changes last name, back and forth; the simulator publishes the event. */
export function startDemoChanges(sim: CerebrumSimulator, logger: Logger): { stop(): void } {
  let n = 0;
  const timer = setInterval(() => {
    const last = n++ % 2 === 0 ? 'Test-Hansen' : 'Test';
    sim
      .mutate({ op: 'person.name', person: 85073, last })
      .then(() => logger.info({ person: 'cerebrum:85073' }, 'demo: a Cerebrum change (person name) was published'))
      .catch((e) => logger.warn({ err: (e as Error).message }, 'demo: publishing a Cerebrum change failed'));
  }, CHANGE_EVERY_S * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
