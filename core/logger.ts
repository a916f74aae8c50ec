import pino, { type Logger } from 'pino';
import { NATIONAL_ID_TYPE_NAMES } from './national-ids';

/**
 * One pino logger for the process. Secret-bearing fields are redacted by path wherever they appear, and
 * callers pass paths through `redactPath` so that no full national id reaches a log line.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'idbro' },
      redact: {
        paths: [
          'authorization',
          '*.authorization',
          'headers.authorization',
          'req.headers.authorization',
          'password',
          '*.password',
          'apiKey',
          '*.apiKey',
          'token',
          '*.token',
          // Any field named like a national id type (nationalId, cpr, fodselsnummer, …).
          ...NATIONAL_ID_TYPE_NAMES.flatMap((n) => [n, `*.${n}`]),
          'variables',
          '*.variables',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export type { Logger };
