import type { Logger } from '../core/logger';
import { UpstreamError } from '../core/errors';
import { redactText } from '../core/redact';
import type { SourceCheck } from '../datasources/index';

/**
 * One check: a name, the setting that points at what it reaches (named in the answer, its value never) and the
 * probe. The sources declare theirs in the same shape (datasources/source-module.ts).
 */
export type ReadinessCheck = SourceCheck;

/** A check's coded outcome: OK, or the error vocabulary's upstream codes. */
export type CheckStatus = 'OK' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT' | 'UPSTREAM_ERROR';

export interface CheckResult {
  name: string;
  ok: boolean;
  status: CheckStatus;
  message?: string;
}
export interface ReadinessReport {
  ready: boolean;
  checks: CheckResult[];
}

/** Longest wait for one check's answer. */
const CHECK_TIMEOUT_MS = 3000;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  '57P03',
]);

class CheckTimeout extends Error {}

/**
 * /readyz's probe. Load balancers and orchestrators poll readiness, and every poll used to reach every
 * upstream: the answer is now cached for `cacheMs`, and concurrent callers share the one probe in flight, so
 * the upstreams see at most one probe per `cacheMs` whatever the request rate.
 *
 * The answer names each check and a coded status, with a fixed message naming the setting to look at; a
 * driver's own error (host, user, database name, …) goes only to the log, redacted.
 */
export class ReadinessProbe {
  private cached?: { at: number; report: ReadinessReport };
  private inFlight?: Promise<ReadinessReport>;

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly logger: Logger,
    /** How long an answer is reused. READINESS_CACHE_MS, default 5000; 0 = only share the probe in flight. */
    private readonly cacheMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  report(): Promise<ReadinessReport> {
    if (this.cached && this.now() - this.cached.at < this.cacheMs) return Promise.resolve(this.cached.report);
    this.inFlight ??= this.probe().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async probe(): Promise<ReadinessReport> {
    const checks = await Promise.all(this.checks.map((c) => this.run(c)));
    const report = { ready: checks.every((c) => c.ok), checks };
    this.cached = { at: this.now(), report };
    return report;
  }

  private async run(c: ReadinessCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        c.check(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new CheckTimeout()), CHECK_TIMEOUT_MS);
        }),
      ]);
      return { name: c.name, ok: true, status: 'OK' };
    } catch (e) {
      const status = statusOf(e);
      this.logger.warn(
        { check: c.name, status, err: redactText(String((e as Error)?.message ?? e)) },
        'readiness check failed',
      );
      return { name: c.name, ok: false, status, message: messageFor(c, status) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function statusOf(e: unknown): CheckStatus {
  if (e instanceof CheckTimeout) return 'UPSTREAM_TIMEOUT';
  if (e instanceof UpstreamError) return e.code;
  const code = (e as { code?: unknown })?.code ?? (e as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'UPSTREAM_UNAVAILABLE';
  return 'UPSTREAM_ERROR';
}

function messageFor(c: ReadinessCheck, status: CheckStatus): string {
  const what =
    status === 'UPSTREAM_TIMEOUT'
      ? `did not answer within ${CHECK_TIMEOUT_MS / 1000} s`
      : status === 'UPSTREAM_UNAVAILABLE'
        ? 'cannot be reached'
        : 'answered with an error';
  return `${c.name} ${what}${c.setting ? `: check ${c.setting}` : ''} (the process log has the details).`;
}
