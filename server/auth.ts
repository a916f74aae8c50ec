import { timingSafeEqual, createHash } from 'node:crypto';
import type { Config, Scope } from '../core/config';
import { unauthenticated } from '../core/errors';

/**
 * Bearer-token authentication against API_TOKENS (design/runtime.md). Tokens are compared as SHA-256
 * digests with a constant-time compare, so neither their content nor their length leaks through timing.
 * No token ever reaches a log line or an error message.
 */
export class Authenticator {
  private readonly tokens: { digest: Buffer; scopes: Set<Scope> }[];

  constructor(private readonly config: Pick<Config, 'apiTokens' | 'anonymousScopes'>) {
    this.tokens = [...(config.apiTokens ?? new Map<string, Set<Scope>>()).entries()].map(([token, scopes]) => ({
      digest: digest(token),
      scopes,
    }));
  }

  /** The scopes of a request with this Authorization header; throws UNAUTHENTICATED (HTTP 401). */
  scopesFor(authorization: string | undefined): Set<Scope> {
    if (!authorization) {
      if (this.config.apiTokens === undefined && this.config.anonymousScopes.size > 0)
        return new Set(this.config.anonymousScopes);
      if (this.config.apiTokens === undefined) {
        throw unauthenticated(
          'This gateway has no API_TOKENS configured, so every request is refused. Set API_TOKENS="token=read+pii+sync".',
        );
      }
      throw unauthenticated();
    }
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (token === undefined) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const d = digest(token);
    let found: Set<Scope> | undefined;
    for (const t of this.tokens) if (timingSafeEqual(t.digest, d)) found = t.scopes;
    if (!found) throw unauthenticated('Unknown bearer token.');
    return new Set(found);
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
