/**
 * The pause before an upstream retry (Cerebrum and FS clients), cut short by the caller's signal: a request
 * whose budget ran out or whose client left does not wait to retry. Resolves true after `ms`, false (at once)
 * when `signal` aborts first.
 */
export function backoff(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
