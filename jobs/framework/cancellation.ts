/**
 * Cancel requests that cross processes. `cancelSyncJob` runs in an API process; the job runs in some worker
 * process, perhaps on another machine, and BullMQ's own `worker.cancelJob()` only reaches jobs of the worker
 * object it is called on. So a request travels two ways, both through the Redis the processes already share:
 *
 * 1. a marker key `<prefix>:<deployment id>:idbro-control:cancel:<jobId>` (kept 7 days): durable. A worker checks it before it
 *    starts a job (so a job cancelled just as it was picked up, or retried on another worker after a crash,
 *    does not run) and every `pollMs` while the job runs (so a missed event costs at most that delay);
 * 2. a custom event `cancel` on the control queue's event stream (QueueEventsProducer → QueueEvents): prompt.
 *    Every worker process listens; the one running the job aborts that job's AbortSignal at once.
 */
import { QueueEvents, QueueEventsProducer, type QueueEventsListener } from 'bullmq';
import { redisConnection } from './redis';
import { deploymentPrefix, type QueueScope } from './queues';

/** The queue name whose event stream carries control messages; no jobs are ever added to it. */
export const CONTROL_QUEUE = 'idbro-control';
const MARKER_TTL_SECONDS = 7 * 24 * 3600;

interface ControlEvents extends QueueEventsListener {
  cancel: (args: { jobId: string }, id: string) => void;
}

export interface CancelChannelOptions extends Pick<QueueScope, 'prefix' | 'deploymentId'> {
  redisUrl: string;
}

/** The sending side and the marker keys (API processes, and workers for their checks). */
export class CancelRequests {
  private readonly producer: QueueEventsProducer;
  private readonly prefix: string;
  private closing?: Promise<void>;

  constructor(opts: CancelChannelOptions) {
    this.prefix = deploymentPrefix(opts);
    this.producer = new QueueEventsProducer(CONTROL_QUEUE, {
      connection: redisConnection(opts.redisUrl, 'producer'),
      prefix: this.prefix,
    });
    this.producer.on('error', () => undefined);
  }

  private key(jobId: string): string {
    return `${this.prefix}:${CONTROL_QUEUE}:cancel:${jobId}`;
  }

  /** Records the request (durable marker) and tells every listening worker (event). */
  async request(jobId: string): Promise<void> {
    const client = await this.producer.getBackend().client;
    await client.set(this.key(jobId), String(Date.now()), { EX: MARKER_TTL_SECONDS });
    await this.producer.publishEvent({ eventName: 'cancel', jobId });
  }

  async isRequested(jobId: string): Promise<boolean> {
    const client = await this.producer.getBackend().client;
    return (await client.get(this.key(jobId))) !== null;
  }

  /** Forgets the request once the job has ended. */
  async clear(jobId: string): Promise<void> {
    const client = await this.producer.getBackend().client;
    await client.del(this.key(jobId));
  }

  close(): Promise<void> {
    this.closing ??= this.producer.close().catch(() => undefined);
    return this.closing;
  }
}

/**
 * The listening side (workers): calls `onCancel(jobId)` for every cancel event on the control stream. Resolves
 * once the listener's connection is up. `close()` is idempotent.
 */
export async function listenForCancels(
  opts: CancelChannelOptions,
  onCancel: (jobId: string) => void,
  onError: (err: Error) => void = () => undefined,
): Promise<{ close(): Promise<void> }> {
  const events = new QueueEvents(CONTROL_QUEUE, {
    connection: redisConnection(opts.redisUrl, 'worker'),
    prefix: deploymentPrefix(opts),
  });
  events.on('error', onError);
  events.on<ControlEvents>('cancel', ({ jobId }: { jobId: string }) => onCancel(jobId));
  await events.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= events.close().catch(() => undefined);
      return closing;
    },
  };
}
