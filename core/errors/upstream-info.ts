import { redactNationalIds } from '../national-ids';

/**
 * The external systems (and the store) an UpstreamError can name in `extensions.source`: the built-in ones, or a
 * plug-in source's own name (its SourceModule `name`) — open, so a new source needs no edit here.
 */
export type SourceName = 'CEREBRUM' | 'FS' | 'LOS' | 'UNILOGIN' | 'DAR' | 'STORE' | (string & {});

/** `extensions.upstream` of an upstream failure (architecture.md, convention 4). */
export interface UpstreamInfo {
  status: number | null;
  method: string;
  /** Request path with national ids masked (see `redactPath`). */
  path: string;
}

/** A request path safe to log or return: national ids masked, query values of secret-looking keys dropped. */
export function redactPath(path: string): string {
  return redactNationalIds(path).replace(/([?&](?:password|token|key|api_key|secret)=)[^&]*/gi, '$1***');
}
