/**
 * Sync job changes as they happen, in any process that shares the deployment's Redis: one BullMQ QueueEvents
 * per kind queue (they read the queue's event stream, which every worker writes to, wherever it runs). The
 * events only say *which* job moved; a listener reads the job itself (store record + live progress) so what
 * it sees is what `syncJob(id:)` answers. Used by the `syncJobUpdated` subscription.
 *
 * QueueEvents starts reading at the stream's end: there is no replay of what happened before `ready()`.
 */
import { QueueEvents } from 'bullmq';
import type { SyncJobKind } from '../../store/sync-jobs.repo';
import type { SyncQueues } from './queues';
import { redisConnection } from './redis';

/**
 * Our own event on a kind queue's stream: the store record of a job changed with no queue event after the write
 * (a job cancelled outside a run: its 'removed' event comes before the CANCELLED record). SyncService publishes it.
 */
export const JOB_RECORDED = 'idbro-job-recorded';

/** The queue events after which a job's record or live progress may have changed. */
export const JOB_EVENTS = [
  'waiting',
  'active',
  'progress',
  'delayed',
  'completed',
  'failed',
  'removed',
  JOB_RECORDED,
] as const;
export type JobEventName = (typeof JOB_EVENTS)[number];

export interface JobEvent {
  jobId: string;
  kind: SyncJobKind;
  event: JobEventName;
}

export class SyncJobEvents {
  private readonly listeners = new Set<(e: JobEvent) => void>();
  private readonly events: QueueEvents[] = [];
  private readonly readyPromise: Promise<void>;
  private closing?: Promise<void>;

  /**
   * Reads the event streams of `queues` (a SyncService's: same names and deployment prefix). `onError` hears
   * Redis errors (the connections reconnect on their own).
   */
  constructor(redisUrl: string, queues: SyncQueues, onError: (err: Error) => void = () => undefined) {
    for (const [kind, queue] of queues) {
      // A blocking reader (XREAD BLOCK): the worker-role connection, which retries instead of failing commands.
      const qe = new QueueEvents(queue.name, {
        connection: redisConnection(redisUrl, 'worker'),
        prefix: queue.opts.prefix,
      });
      qe.on('error', onError);
      for (const event of JOB_EVENTS) {
        // Typed for BullMQ's own events; ours (JOB_RECORDED) comes the same way, with the fields it was published with.
        qe.on(event as 'active', ({ jobId }: { jobId: string }) => {
          for (const l of this.listeners) l({ jobId, kind, event });
        });
      }
      this.events.push(qe);
    }
    this.readyPromise = Promise.all(this.events.map((e) => e.waitUntilReady())).then(() => undefined);
    this.readyPromise.catch(() => undefined);
  }

  /** Resolves once every stream is being read: events after this are seen. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Calls `listener` for every job event; returns the unsubscribe function. */
  subscribe(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes the readers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.listeners.clear();
      await Promise.all(this.events.map((e) => e.close().catch(() => undefined)));
    })();
    return this.closing;
  }
}
