/**
 * At most `limit` starts in any `windowMs`: what keeps an upstream with a published request rate (DAWA: 30
 * requests/s per client, answering 429 beyond it) under that rate by itself instead of leaning on its refusals.
 *
 * A log of the last `limit` start times; the next start waits until the oldest of them leaves the window. One
 * timer for the head of a FIFO queue, so no busy waiting. A waiter whose signal aborts leaves the queue and
 * rejects with the signal's reason.
 */
import { performance } from 'node:perf_hooks';

interface Waiter {
  grant: () => void;
  onAbort: () => void;
}

export class StartLimiter {
  /** performance.now() of the last `limit` starts, oldest first. */
  private readonly log: number[] = [];
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Resolves when the caller may start; rejects with `signal.reason` when it aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason, unwrapped: jobs abort with strings ('cancel') their runner compares
        reject(signal.reason);
        return;
      }
      const w: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', w.onAbort);
          resolve();
        },
        onAbort: () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason, unwrapped: jobs abort with strings ('cancel') their runner compares
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      this.queue.push(w);
      this.pump();
    });
  }

  /** No start before `t` (performance.now() time), e.g. after a 429 with Retry-After. */
  pauseUntil(t: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, t);
  }

  /** Drops the pending timer (its waiters were abandoned by their callers). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Starts within the last `ms`, this one included. */
  startedWithin(ms: number): number {
    const since = performance.now() - ms;
    let n = 0;
    for (let i = this.log.length - 1; i >= 0 && (this.log[i] ?? -Infinity) > since; i--) n++;
    return n;
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let next = this.queue[0]; next; next = this.queue[0]) {
      const now = performance.now();
      let wait = this.pausedUntil - now;
      // The start `limit` places back must have left the window before another may begin.
      const oldest = this.log.length >= this.limit ? this.log[this.log.length - this.limit] : undefined;
      if (oldest !== undefined) wait = Math.max(wait, oldest + this.windowMs - now);
      if (wait > 0) {
        // Timers may fire a fraction of a millisecond early by performance.now(); pump() re-checks.
        this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(wait)));
        return;
      }
      this.log.push(now);
      if (this.log.length > this.limit) this.log.shift();
      this.queue.shift();
      next.grant();
    }
  }
}
