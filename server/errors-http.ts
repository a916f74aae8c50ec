import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ErrorCode } from '../core/errors';
import type { Logger } from '../core/logger';
import { redactText, redactedStack } from '../core/redact';

/**
 * Answers for everything that fails before Apollo does: bodies express.json() cannot read, wrong methods and
 * content types, unknown paths, and any error a route passes on. Without these, Express's final handler
 * answers with an HTML page holding the stack trace and absolute paths whenever NODE_ENV is not
 * "production" (and `npm run serve` leaves it unset). Every answer here is JSON in the GraphQL error shape and
 * the closed vocabulary, whatever NODE_ENV says.
 */

function answer(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] }));
}

/** POST bodies must be JSON; other methods than GET and POST are refused (before the body is read). */
export function graphqlRequestGuard(): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return answer(
        res,
        405,
        'BAD_USER_INPUT',
        `${req.method} is not supported here: send queries with POST (or GET for queries only).`,
      );
    }
    if (!req.is(['application/json', 'application/*+json'])) {
      const given = req.headers['content-type'];
      return answer(
        res,
        415,
        'BAD_USER_INPUT',
        `Send the request body as JSON with "Content-Type: application/json"${given ? ' (got another content type)' : ' (none was given)'}.`,
      );
    }
    next();
  };
}

export function jsonNotFound(): RequestHandler {
  return (req, res) => {
    answer(
      res,
      404,
      'BAD_USER_INPUT',
      `Nothing here (${req.method} ${req.path.slice(0, 100).replace(/[^\w/.-]/g, '?')}): GraphQL is at /graphql.`,
    );
  };
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

/** Body-parser errors by their `type` (body-parser's documented error types). */
const BODY_ERRORS: Record<string, [number, (e: { limit?: number }) => string]> = {
  'entity.parse.failed': [
    400,
    () =>
      'The request body is not valid JSON (a GraphQL request is an object with "query" and, optionally, "variables").',
  ],
  'entity.too.large': [413, (e) => `The request body is larger than the limit of ${sizeOf(e.limit ?? 0)}.`],
  'entity.verify.failed': [400, () => 'The request body was refused.'],
  'request.aborted': [400, () => 'The request body was not received completely.'],
  'request.size.invalid': [400, () => 'The request body does not match its Content-Length.'],
  'charset.unsupported': [415, () => 'Send the request body in UTF-8.'],
  'encoding.unsupported': [415, () => 'Unsupported Content-Encoding: send the body uncompressed, gzip or deflate.'],
  'parameters.too.many': [413, () => 'The request has too many parameters.'],
};

export function jsonErrorHandler(logger: Logger, secrets: readonly string[] = []): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err); // Express then closes the connection; nothing more can be said.
    const e = (err ?? {}) as { type?: string; status?: number; statusCode?: number; expose?: boolean; limit?: number };
    const requestId = (req as unknown as { requestId?: string }).requestId;
    const known = e.type ? BODY_ERRORS[e.type] : undefined;
    if (known) {
      logger.info({ requestId, status: known[0], reason: e.type }, 'request body refused');
      return answer(res, known[0], 'BAD_USER_INPUT', known[1](e));
    }
    // Other 4xx from body-parser (a body that claims gzip but is not, …): said without the library's wording.
    const status = e.status ?? e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500 && e.expose !== false) {
      logger.info({ requestId, status }, 'request refused');
      return answer(res, status, 'BAD_USER_INPUT', 'The request could not be read.');
    }
    const errorId = randomUUID();
    logger.error(
      {
        requestId,
        errorId,
        err: {
          message: redactText(String((err as Error)?.message ?? err), secrets),
          stack: redactedStack(err, secrets),
        },
      },
      'unexpected error before GraphQL',
    );
    answer(res, 500, 'INTERNAL_SERVER_ERROR', `Internal server error (error id ${errorId}).`, { errorId });
  };
}
