/**
 * The WS10 SOAP client (the `soap` package over ./transport.ts): the three uploads, the schema check of Bilag 2
 * and the connectivity check. Every failure becomes a UniLoginError that says what happened, what to do, and
 * whether a retry can help — and never carries the password (it travels only inside the request body).
 *
 * The request has the shape of seed 003's Bilag 2: a SOAP 1.2 envelope, the operation and its parameters in
 * http://www.uni-c.dk/uniloginuploadv2 with a prefix, the credentials as parameters (WSuserId, WSpassword; not in
 * a SOAP header), and the import document as XML inside <xml>, in no namespace. `soap` would put a default
 * namespace (xmlns="…") on the operation element, which the unprefixed document would then inherit; the
 * overrideRootElement option keeps that off.
 */
import * as soap from 'soap';
import { InternalError } from '../../core/errors';
import { DOCUMENT_PLACEHOLDER, StreamingTransport, UniLoginHttpError } from './transport';
import { parseSoapFault, parseUploadResult, parseValidateResult, type UploadResult } from './result';
import { bundledWsdlPath } from './schema-files';
import type { UniLoginMode } from '../../store/unilogin.repo';

export const UPLOAD_METHODS: Readonly<Record<UniLoginMode, string>> = {
  FULL: 'UploadXmlData',
  INCREMENTAL: 'UploadIncrementalXmlData',
  DELETE: 'UploadDeleteXmlData',
};

/** The fault text the service gives for wrong credentials (seed 003, "Soap fejl"). */
export const BAD_CREDENTIALS = 'Kombinationen af brugernavn og adgangskode er forkert.';

export type UniLoginErrorKind = 'credentials' | 'fault' | 'http' | 'unreachable' | 'timeout' | 'cancelled' | 'answer';

/** A failed call. `transient`: the same call later may succeed (service down, network, timeout). */
export class UniLoginError extends InternalError {
  override readonly name = 'UniLoginError';
  constructor(
    message: string,
    readonly kind: UniLoginErrorKind,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super('UNILOGIN_FAILED', message);
  }
}

export interface UniLoginClientOptions {
  /** The service endpoint (UNILOGIN_URL). */
  url: string;
  user: string;
  password: string;
  /** WSDL path or URL (UNILOGIN_WSDL). Default: the bundled schema/ws10.wsdl. */
  wsdl?: string;
  /** Longest wait for one answer, ms. Default 600000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The URL without credentials or query, to name in messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

export class UniLoginClient {
  private constructor(
    private readonly client: soap.Client,
    private readonly transport: StreamingTransport,
    private readonly opts: UniLoginClientOptions,
  ) {}

  static async create(opts: UniLoginClientOptions): Promise<UniLoginClient> {
    const transport = new StreamingTransport({ timeoutMs: opts.timeoutMs ?? 600_000, signal: opts.signal });
    let client: soap.Client;
    try {
      client = await soap.createClientAsync(opts.wsdl ?? bundledWsdlPath(), {
        endpoint: opts.url,
        forceSoap12Headers: true,
        httpClient: transport as unknown as soap.IHttpClient,
        // A fetched WSDL is read once per process; the bundled one never changes.
        disableCache: false,
      });
    } catch (e) {
      throw new UniLoginError(
        `Cannot read the UNI-Login WSDL ${opts.wsdl ? `UNILOGIN_WSDL=${shown(opts.wsdl)}` : '(bundled)'}: ${(e as Error).message}`,
        'answer',
        e instanceof UniLoginHttpError && e.status === undefined,
      );
    }
    // The operation element carries only its prefix (declared on the envelope): see the header comment.
    const prefix =
      Object.entries(client.wsdl.definitions.xmlns as Record<string, string>).find(
        ([p, ns]) => ns === client.wsdl.definitions.$targetNamespace && p !== '',
      )?.[0] ?? 'tns';
    client.wsdl.options.overrideRootElement = { namespace: prefix, xmlnsAttributes: [] };
    return new UniLoginClient(client, transport, opts);
  }

  /**
   * Uploads a document (a file, streamed; or a string) with the mode's method and reads the result. The result
   * is returned whatever its statuskode; a SOAP fault or an HTTP failure throws a UniLoginError.
   */
  async upload(
    mode: UniLoginMode,
    document: { path: string } | { xml: string },
  ): Promise<UploadResult & { rawResponse: string }> {
    const method = UPLOAD_METHODS[mode];
    const raw = await this.call(
      method,
      {
        WSuserId: this.opts.user,
        WSpassword: this.opts.password,
        xml: { $xml: 'path' in document ? DOCUMENT_PLACEHOLDER : stripDeclaration(document.xml) },
      },
      'path' in document ? document.path : undefined,
    );
    try {
      return { ...parseUploadResult(raw), rawResponse: raw };
    } catch (e) {
      throw new UniLoginError(
        `UNI-Login's answer to ${method} could not be read: ${(e as Error).message}`,
        'answer',
        false,
      );
    }
  }

  /** ValidateXmlAgainstSchema (seed Bilag 2/3): the service's own schema check of a document; no credentials. */
  async validate(xml: string): Promise<{ message: string; errorCount: number; errors: string[] }> {
    const raw = await this.call('ValidateXmlAgainstSchema', { xml: { $xml: stripDeclaration(xml) } });
    return parseValidateResult(raw);
  }

  /** HelloWorldWithCredentials: checks endpoint and credentials without sending data. */
  async helloWorldWithCredentials(): Promise<string> {
    const raw = await this.call('HelloWorldWithCredentials', {
      WSuserId: this.opts.user,
      WSpassword: this.opts.password,
    });
    return /HelloWorldWithCredentialsResult[^>]*>([^<]*)</.exec(raw)?.[1] ?? '';
  }

  /** Runs one operation and returns the raw answer text; every failure mapped to a UniLoginError. */
  private async call(method: string, args: Record<string, unknown>, documentPath?: string): Promise<string> {
    this.transport.options = { ...this.transport.options, documentPath };
    const fn = (this.client as unknown as Record<string, (a: unknown) => Promise<[unknown, string]>>)[`${method}Async`];
    if (typeof fn !== 'function') {
      throw new UniLoginError(`The UNI-Login WSDL has no operation ${method}: check UNILOGIN_WSDL`, 'answer', false);
    }
    try {
      const [, raw] = await fn.call(this.client, args);
      return String(raw ?? '');
    } catch (e) {
      throw this.explain(method, e);
    } finally {
      this.transport.options = { ...this.transport.options, documentPath: undefined };
    }
  }

  private explain(method: string, e: unknown): UniLoginError {
    const where = `UNILOGIN_URL=${shown(this.opts.url)}`;
    if (e instanceof UniLoginHttpError) {
      if (e.code === 'ABORT_ERR') return new UniLoginError(`${method} to UNI-Login cancelled`, 'cancelled', false);
      if (e.code === 'ETIMEDOUT') {
        return new UniLoginError(
          `UNI-Login (${where}) gave no answer to ${method} within ${this.transport.options.timeoutMs} ms; it will be tried again (raise UNILOGIN_TIMEOUT_MS for very large uploads)`,
          'timeout',
          true,
        );
      }
      if (e.status === undefined) {
        return new UniLoginError(
          `Cannot reach UNI-Login at ${where} (${e.code ?? e.message}): check UNILOGIN_URL and the network; it will be tried again`,
          'unreachable',
          true,
        );
      }
      if (e.status >= 500) {
        return new UniLoginError(
          `UNI-Login at ${where} is unavailable (HTTP ${e.status} to ${method}); it will be tried again`,
          'http',
          true,
          e.status,
        );
      }
      if (e.status === 400) {
        return new UniLoginError(
          `UNI-Login at ${where} could not read the ${method} request as SOAP (HTTP 400): the service may have changed; compare its WSDL (${where}?wsdl) with UNILOGIN_WSDL`,
          'http',
          false,
          400,
        );
      }
      return new UniLoginError(
        `UNI-Login at ${where} answered HTTP ${e.status} to ${method}: check UNILOGIN_URL (the WS10 endpoint)`,
        'http',
        false,
        e.status,
      );
    }
    const body = (e as { body?: unknown }).body;
    const fault = typeof body === 'string' ? parseSoapFault(body) : undefined;
    if (fault) {
      if (/brugernavn og adgangskode/i.test(fault.message)) {
        return new UniLoginError(
          `UNI-Login refused the credentials ("${fault.message}"): check UNILOGIN_USER and UNILOGIN_PASSWORD`,
          'credentials',
          false,
        );
      }
      // soap:Server / soap:Receiver: the service's own trouble, which may pass; a client fault will not.
      const transient = /(Server|Receiver)$/i.test(fault.code);
      return new UniLoginError(
        `UNI-Login answered ${method} with a SOAP fault (${fault.code}): ${fault.message}`,
        'fault',
        transient,
      );
    }
    return new UniLoginError(
      `UNI-Login's answer to ${method} (${where}) could not be read: ${(e as Error).message ?? String(e)}`,
      'answer',
      false,
    );
  }
}

/** A declaration is allowed only at the very start of a document, not inside the envelope's <xml>. */
function stripDeclaration(xml: string): string {
  return xml.replace(/^\uFEFF?\s*<\?xml[^?]*\?>\s*/, '');
}
