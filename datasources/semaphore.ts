/**
 * At most `limit` holders at once, granted in arrival order. `release` hands the slot straight to the next
 * waiter, so the count of holders never exceeds the limit, not even for a moment: what keeps an upstream's
 * in-flight requests at its configured concurrency.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
