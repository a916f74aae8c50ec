import type { Config } from './config';
import { redactNationalIds } from './errors';

/**
 * Text from elsewhere (an upstream's error body, a driver's message, a stack trace whose first line is the
 * message) made fit for a log line or an error: national ids masked, URL passwords, bearer tokens and
 * `key=value` secrets replaced, and any exact secret the caller knows (an API key) removed wherever it appears.
 */
export function redactText(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    // Short values would mask ordinary words; real keys and passwords are longer.
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  out = out
    .replace(/(\/\/[^/\s:@]*):[^@\s/]*@/g, '$1:***@')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/\b(password|passwd|pwd|secret|token|api[_-]?key|apikey)(["']?\s*[=:]\s*["']?)[^\s"'&,;]+/gi, '$1$2***');
  return redactNationalIds(out);
}

/** An error's stack (or message when it has none), redacted, for a log line's `err.stack`. */
export function redactedStack(e: unknown, knownSecrets: readonly (string | undefined)[] = []): string | undefined {
  if (e instanceof Error) return redactText(e.stack ?? e.message, knownSecrets);
  // A thrown non-Error is logged as String() renders it: its fields are deliberately not walked into the log.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return e === undefined ? undefined : redactText(String(e), knownSecrets);
}

/** The secrets among the settings, to be removed verbatim from any text that is logged. */
export function knownSecrets(config: Config): string[] {
  return [
    config.cerebrum?.apiKey,
    config.fs?.password,
    config.unilogin?.password,
    ...(config.apiTokens?.keys() ?? []),
  ].filter((s): s is string => typeof s === 'string');
}
