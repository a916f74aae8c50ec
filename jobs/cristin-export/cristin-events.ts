/**
 * The worker's durable Cerebrum event queue (issue 13 item 3; README "Cristin export"): `idbro.<deployment
 * id>.cristin`, durable and shared by every worker process of the deployment (the broker hands each message to
 * one of them), bound to the Cerebrum events exchange. Changes that arrive while no worker runs wait in it. Each
 * accepted change becomes a pending row for the incremental Cristin export; the message is acknowledged only
 * after the row is committed (the consumer's `sink`), so a change is never lost between broker and store.
 */
import { CerebrumEventConsumer } from '../../datasources/cerebrum/events/consumer';
import type { CerebrumChange } from '../../datasources/cerebrum/events/change';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { CristinSnapshotRepo, type PendingType } from './snapshot';
import type { Db } from '../../store/db';

export const cristinQueueName = (deploymentId: string) => `idbro.${deploymentId}.cristin`;

const TRACKED: ReadonlySet<string> = new Set<PendingType>(['persons', 'ous', 'accounts', 'entities']);

/** Records one change as pending (groups are not in the Cristin file: ignored). */
export async function recordChange(repo: CristinSnapshotRepo, c: CerebrumChange): Promise<void> {
  if (!TRACKED.has(c.resourceType)) return;
  await repo.addPending(c.resourceType as PendingType, c.ref, c.notBefore);
}

export function startCristinEventQueue(o: {
  events: NonNullable<Config['cerebrumEvents']>;
  store: Db;
  deploymentId: string;
  logger: Logger;
  backoffMs?: number;
}): CerebrumEventConsumer {
  const repo = new CristinSnapshotRepo(o.store);
  const consumer = new CerebrumEventConsumer({
    url: o.events.url,
    exchange: o.events.exchange,
    binding: o.events.binding,
    jwtKey: o.events.jwtKey,
    logger: o.logger.child({ component: 'cristin-events' }),
    queue: { name: cristinQueueName(o.deploymentId), durable: true, exclusive: false },
    sink: (c) => recordChange(repo, c),
    backoffMs: o.backoffMs,
  });
  consumer.start();
  return consumer;
}
