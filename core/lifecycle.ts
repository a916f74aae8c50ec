import type { Logger } from './logger';

/**
 * Ordered shutdown (architecture.md, convention 8): closers run in the order they were added — HTTP first,
 * then workers, queues, Redis and the store — and `stop()` is idempotent: a second SIGTERM, or a stop
 * from a test after a signal, waits for the same shutdown instead of starting another.
 */
export class Lifecycle {
  private readonly closers: { name: string; close: () => Promise<unknown> }[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly logger?: Logger) {}

  add(name: string, close: () => Promise<unknown>): void {
    this.closers.push({ name, close });
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const c of this.closers) {
        try {
          await c.close();
        } catch (e) {
          this.logger?.warn({ component: c.name, err: (e as Error).message }, 'error while stopping');
        }
      }
    })();
    return this.stopping;
  }

  /** SIGINT/SIGTERM stop the process cleanly; a second signal while stopping exits at once. */
  handleSignals(onStopped: () => void = () => process.exit(0)): void {
    let signalled = false;
    const handler = (sig: string) => {
      if (signalled) {
        this.logger?.warn({ signal: sig }, 'second signal: exiting now');
        process.exit(1);
      }
      signalled = true;
      this.logger?.info({ signal: sig }, 'stopping');
      void this.stop().then(onStopped);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }
}
