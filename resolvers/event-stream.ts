/**
 * The two async-iterator pieces GraphQL subscriptions need: a channel that turns pushed events into an
 * AsyncIterator, and a map over one. Hand-written because both must end at once when graphql-ws calls `return()`
 * (a client completes, its socket closes, the server stops) while a `next()` is still waiting for an event: an
 * `async function*` cannot be stopped while it awaits, so its listener and the payloads it holds would stay until
 * the next event. Node's `events.on()` ends promptly but buffers without bound; a subscriber that reads slower
 * than Cerebrum changes must not hold every change in memory (delivery is at most once: the oldest is dropped).
 */

export interface EventChannelOptions {
  /** Events kept for a subscriber that has not asked for them yet; the oldest is dropped past it. Default 1000. */
  maxBuffered?: number;
  /** Called once when the iterator ends (return(), or close()): unsubscribe from the source here. */
  onClose?: () => void;
}

export class EventChannel<T> implements AsyncIterableIterator<T> {
  private readonly buffered: T[] = [];
  private readonly waiting: ((r: IteratorResult<T>) => void)[] = [];
  private closed = false;
  private readonly maxBuffered: number;
  /** Events dropped because the subscriber fell behind by more than maxBuffered. */
  dropped = 0;

  constructor(private readonly opts: EventChannelOptions = {}) {
    this.maxBuffered = opts.maxBuffered ?? 1000;
  }

  push(value: T): void {
    if (this.closed) return;
    const waiter = this.waiting.shift();
    if (waiter) return waiter({ value, done: false });
    this.buffered.push(value);
    if (this.buffered.length > this.maxBuffered) {
      this.buffered.shift();
      this.dropped++;
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffered.length > 0) return Promise.resolve({ value: this.buffered.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffered.length = 0;
    for (const w of this.waiting.splice(0)) w({ value: undefined, done: true });
    this.opts.onClose?.();
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * `source` with `fn` applied to every value, one at a time (so payloads keep the order of the events); values for
 * which `fn` answers `undefined` are skipped. `return()` is passed straight to the source, so a waiting `next()`
 * ends at once (see the top of this file).
 */
export function mapEvents<T, R>(
  source: AsyncIterator<T>,
  fn: (value: T) => Promise<R | undefined> | R | undefined,
): AsyncIterableIterator<R> {
  const end = async (): Promise<IteratorResult<R>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next(): Promise<IteratorResult<R>> {
      for (;;) {
        const r = await source.next();
        if (r.done) return { value: undefined, done: true };
        let mapped: R | undefined;
        try {
          mapped = await fn(r.value);
        } catch (e) {
          await source.return?.();
          throw e;
        }
        if (mapped !== undefined) return { value: mapped, done: false };
      }
    },
    return: end,
    async throw(err: unknown) {
      await source.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
