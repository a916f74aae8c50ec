/**
 * At most `limit` holders at once, shared fairly between callers: what keeps an upstream's in-flight requests at
 * its configured concurrency (CEREBRUM_CONCURRENCY, the FS client's) without letting one caller starve the rest.
 *
 * Hand-written because no maintained package does both things needed here: p-limit and async-sema are plain
 * FIFO queues, and p-queue's priorities cannot express "take turns". The rules:
 *  - Each caller (an `owner`: one GraphQL request's stats, one job's) waits in its own FIFO queue.
 *  - A released slot goes straight to the next waiter (the count of holders never exceeds the limit, not even
 *    for a moment), taken from the owners in turn (round-robin): with k owners waiting, each gets every k-th
 *    slot. A 500-person query that queued 2,500 loads therefore does not stand in front of a one-person query
 *    that arrives after it: that one waits for about one released slot per load, not for the 2,500.
 *  - Nothing is held back for fairness: an owner alone gets every free slot (work-conserving), so a lone
 *    request is exactly as fast as with a plain FIFO semaphore.
 *  - A waiter whose `signal` aborts leaves its queue and rejects with the signal's reason: a request whose
 *    client went away or whose time budget ran out never sends the loads it had queued.
 */
export class Semaphore {
  private active = 0;
  /** Live waiters over all queues. */
  private waiting = 0;
  private readonly queues = new Map<object, OwnerQueue>();
  /** Owners with waiters, in turn order: the head gets the next slot, then goes to the back if it still waits. */
  private readonly turn: OwnerQueue[] = [];

  constructor(readonly limit: number) {}

  /** Holders now (tests, stats). */
  get inUse(): number {
    return this.active;
  }

  /**
   * Resolves when the caller holds a slot (release it with `release()`); rejects with the signal's reason when
   * `signal` aborts first (also when it is already aborted: an aborted caller never gets a slot).
   */
  acquire(owner: object = SHARED, signal?: AbortSignal): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason, unwrapped: jobs abort with strings ('cancel') their runner compares
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit && this.waiting === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { resolve, reject, done: false, signal };
      if (signal) {
        w.onAbort = () => {
          if (w.done) return;
          w.done = true;
          this.waiting--;
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason, unwrapped: jobs abort with strings ('cancel') their runner compares
          reject(signal.reason);
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      let q = this.queues.get(owner);
      if (!q) {
        q = { owner, waiters: [], head: 0 };
        this.queues.set(owner, q);
        this.turn.push(q);
      }
      q.waiters.push(w);
      this.waiting++;
    });
  }

  release(): void {
    // Aborted waiters stay in their queue until a release passes them (O(1) abort); skip them here.
    for (let q = this.turn.shift(); q; q = this.turn.shift()) {
      const w = take(q);
      if (!hasLive(q)) this.queues.delete(q.owner);
      else this.turn.push(q);
      if (!w) continue;
      w.done = true;
      this.waiting--;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve();
      return;
    }
    this.active--;
  }
}

/** The owner of callers that name none: they share one queue (and one turn). */
const SHARED = {};

interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
  done: boolean;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface OwnerQueue {
  owner: object;
  waiters: Waiter[];
  head: number;
}

/** The first live waiter of `q`, removed from it; undefined when it has none. */
function take(q: OwnerQueue): Waiter | undefined {
  while (q.head < q.waiters.length) {
    const w = q.waiters[q.head++];
    if (w && !w.done) {
      compact(q);
      return w;
    }
  }
  compact(q);
  return undefined;
}

function hasLive(q: OwnerQueue): boolean {
  for (let i = q.head; i < q.waiters.length; i++) if (q.waiters[i]?.done === false) return true;
  return false;
}

/** Drops the consumed front of the array now and then, so a long queue is not copied on every take. */
function compact(q: OwnerQueue): void {
  if (q.head === q.waiters.length) {
    q.waiters = [];
    q.head = 0;
  } else if (q.head > 1024 && q.head * 2 > q.waiters.length) {
    q.waiters = q.waiters.slice(q.head);
    q.head = 0;
  }
}
