/**
 * The HTTP transport under the `soap` client (its `httpClient` option): node:http(s), a timeout, the caller's
 * abort signal, and — the reason it exists — the import document streamed from its file into the request body.
 *
 * `soap` builds the envelope as a string from the WSDL (namespaces, element names, SOAP 1.2). The client puts a
 * placeholder where the document goes (`<xml>` holds it as XML, seed Bilag 2); this transport sends the envelope
 * up to the placeholder, then the file, then the rest. A 50,000-person document (tens of MB) is thus never
 * copied into the envelope string, and Content-Length is exact (no chunked encoding, which old IIS front ends
 * handle badly).
 *
 * Why not core/http/transport.ts, the transport of the read sources: that one retries and queues small JSON
 * requests under a fair in-flight limit; this one sends one upload at a time whose body is a file stream, and a
 * failed upload is never re-sent here: the client classes the failure (transient or not) and the export job's
 * attempts re-run the whole export, which re-sends from the stored snapshot. It shares the telemetry
 * (core/upstream-telemetry.ts) and the error base (core/errors).
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { observeUpstream } from '../../core/upstream-telemetry';
import { InternalError } from '../../core/errors';

/** Marks where the document file goes inside the envelope soap builds. */
export const DOCUMENT_PLACEHOLDER = '<!--idbro:unilogin-document-->';

/** An HTTP-level failure: no answer (network, timeout) or an answer that is not SOAP. */
export class UniLoginHttpError extends InternalError {
  override readonly name = 'UniLoginHttpError';
  constructor(
    message: string,
    /** HTTP status, or undefined when no answer came. */
    readonly status: number | undefined,
    /** ECONNREFUSED, ENOTFOUND, ETIMEDOUT, … */
    readonly code?: string,
  ) {
    super('UNILOGIN_HTTP', message);
  }
}

export interface TransportOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The file the placeholder stands for, in the next request. */
  documentPath?: string;
}

/** What `soap` needs of a response: status, headers, and the body as text. */
interface SoapHttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  data: string;
}

type Callback = (error: unknown, res?: SoapHttpResponse, body?: string) => void;

export class StreamingTransport {
  /** Set by the client before each call; read by request(). */
  options: TransportOptions;

  constructor(options: TransportOptions) {
    this.options = options;
  }

  /** The soap IHttpClient contract: POST `data` (GET when there is none) and call back with the answer. */
  request(
    rurl: string,
    data: string | null | undefined,
    callback: Callback,
    exheaders?: Record<string, string>,
  ): Promise<SoapHttpResponse> {
    const method = data == null ? 'GET' : 'POST';
    // Span, traceparent and metrics per call, by endpoint path and SOAP operation: core/upstream-telemetry.ts.
    const promise = observeUpstream({ source: 'UNILOGIN', method, route: soapRoute(rurl, exheaders ?? {}) }, (trace) =>
      this.send(rurl, data ?? null, { ...exheaders, ...trace }),
    );
    promise.then(
      (res) => callback(null, res, res.data),
      (e) => callback(e),
    );
    return promise;
  }

  private body(data: string): { stream: Readable; length: number } {
    const at = data.indexOf(DOCUMENT_PLACEHOLDER);
    const path = this.options.documentPath;
    if (at < 0 || !path) return { stream: Readable.from([Buffer.from(data)]), length: Buffer.byteLength(data) };
    const head = Buffer.from(data.slice(0, at));
    const tail = Buffer.from(data.slice(at + DOCUMENT_PLACEHOLDER.length));
    const size = statSync(path).size;
    const file = path;
    async function* parts() {
      yield head;
      for await (const chunk of createReadStream(file)) yield chunk as Buffer;
      yield tail;
    }
    return { stream: Readable.from(parts()), length: head.length + size + tail.length };
  }

  private send(rurl: string, data: string | null, headers: Record<string, string>): Promise<SoapHttpResponse> {
    const url = new URL(rurl);
    const where = `${url.protocol}//${url.host}${url.pathname}`;
    const lib = url.protocol === 'https:' ? https : http;
    const { timeoutMs, signal } = this.options;
    return new Promise<SoapHttpResponse>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new UniLoginHttpError(`request to ${where} cancelled`, undefined, 'ABORT_ERR'));
        return;
      }
      const body = data === null ? null : this.body(data);
      const req = lib.request(url, {
        method: body ? 'POST' : 'GET',
        headers: {
          ...headers,
          ...(body ? { 'Content-Length': String(body.length) } : {}),
          Accept: 'application/soap+xml, text/xml, */*',
        },
        signal,
      });
      const timer = setTimeout(() => {
        req.destroy(new UniLoginHttpError(`no answer from ${where} within ${timeoutMs} ms`, undefined, 'ETIMEDOUT'));
      }, timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (e instanceof UniLoginHttpError) reject(e);
        else if (e.name === 'AbortError')
          reject(new UniLoginHttpError(`request to ${where} cancelled`, undefined, 'ABORT_ERR'));
        else reject(new UniLoginHttpError(`cannot reach ${where}: ${e.code ?? e.message}`, undefined, e.code));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(new UniLoginHttpError(`the answer from ${where} broke off: ${e.message}`, res.statusCode));
        });
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          // A SOAP fault comes with status 500 and an envelope: soap reads it. Anything else above 399 is an
          // HTTP failure (a proxy's error page, "bad request" for a body that is not SOAP).
          if (status >= 400 && !/<([\w.-]+:)?Envelope[\s>]/.test(text)) {
            reject(
              new UniLoginHttpError(
                `${where} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`,
                status,
              ),
            );
            return;
          }
          resolve({ status, headers: res.headers, data: text });
        });
      });
      if (body) body.stream.on('error', (e) => req.destroy(e)).pipe(req);
      else req.end();
    });
  }
}

/** `/ws10.asmx#UploadXmlData`: the endpoint's path and the SOAP operation named by the action (SOAP 1.2 Content-Type, or SOAPAction). */
function soapRoute(rurl: string, headers: Record<string, string>): string {
  const path = new URL(rurl).pathname;
  const action =
    /action="?([^";]+)/i.exec(Object.entries(headers).find(([k]) => /^content-type$/i.test(k))?.[1] ?? '')?.[1] ??
    Object.entries(headers)
      .find(([k]) => /^soapaction$/i.test(k))?.[1]
      ?.replace(/"/g, '');
  const op = action?.split(/[/#]/).pop();
  return op && /^\w{1,64}$/.test(op) ? `${path}#${op}` : path;
}
