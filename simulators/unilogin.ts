/**
 * A stand-in for UNI-Login's import web service WS10 (seed 003), speaking SOAP over HTTP with our WSDL
 * (datasources/unilogin/schema/ws10.wsdl) through the `soap` package, and enforcing our XSDs with xmllint.
 *
 * Rules it applies, in the service's order:
 *   credentials (WSuserId/WSpassword parameters) → SOAP fault "Kombinationen af brugernavn og adgangskode er forkert."
 *   document not valid against uploadfull.xsd / uploaddelete.xsd → statuskode 8, ValidationErrors
 *     "Linje: N udløser fejlen: [...]" (N = line in the document)
 *   unknown source → 1; unknown institution, or one the WS user may not update → 2;
 *   exportdatetime not later than the last loaded for (institution, source) → 3;
 *   incremental with no earlier import for (institution, source) → 4;
 *   then per person: control 1 on FirstName/FamilyName (trim, collapse; empty → the person is denied).
 * Counts: FULL — new, updated (the record differs), deleted (held from this source, absent from the document: a
 * full upload is the whole truth); INCREMENTAL — new, updated; DELETE — deleted, denied (not held).
 * HTTP: GET ?wsdl serves the WSDL; a body that is not SOAP → 400; failNext() answers 5xx (service unavailable).
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as soap from 'soap';
import { schemaDir, schemaText } from '../datasources/unilogin/schema-files';
import { validateDocument } from '../datasources/unilogin/validate';

export const BAD_CREDENTIALS_TEXT = 'Kombinationen af brugernavn og adgangskode er forkert.';

export interface SimUser {
  user: string;
  password: string;
  /** Institutions the user may update. Default: all known. */
  institutions?: string[];
}

export interface SimPerson {
  localPersonId: string;
  firstName: string;
  familyName: string;
  cpr: string | null;
  email: string | null;
  employeeType: string | null;
  studentType: string | null;
  mainGroupId: string | null;
  groupIds: string[];
  /** The record as received (canonical JSON), to tell an update from a resend. */
  record: string;
}

/** What UNI-Login holds from one (institution, source). */
export interface SimImport {
  lastExportDateTime: string;
  persons: Map<string, SimPerson>;
  groups: Map<string, string>;
}

export interface SimUpload {
  method: string;
  /** The document as it travelled inside <xml> (raw text). */
  document: string;
  /** The whole request body. */
  envelope: string;
  statuskode: number;
}

export interface UniLoginSimulator {
  /** The service endpoint (UNILOGIN_URL). */
  url: string;
  wsdlUrl: string;
  /** institution|source → what is loaded. */
  state: Map<string, SimImport>;
  /** Calls per operation (faults included). */
  calls: Record<string, number>;
  uploads: SimUpload[];
  lastUpload(): SimUpload | undefined;
  /** Every SOAP request body received, in order (credentials included: this is a test double). */
  requests: string[];
  /** The persons held for (institution, source), by LocalPersonId. */
  persons(institution: string, source: string): SimPerson[];
  /** The next `n` requests get HTTP `status` (default 503) with an HTML page, as a failing front end would. */
  failNext(n?: number, status?: number): void;
  stop(): Promise<void>;
}

export interface UniLoginSimulatorOptions {
  port?: number;
  /** Default: one user `idbro` / `secret`. */
  users?: SimUser[];
  /** Default: A10035. */
  institutions?: string[];
  /** Default: idbro. */
  sources?: string[];
  /** The service's schemas, if not ours (to play a service whose schema has changed). */
  schemas?: { uploadfull?: string; uploaddelete?: string };
}

/**
 * node-soap's parse of a request: an object per element (its attributes under `attributes`, the text of an element
 * that also has attributes under `$value`), an array for a repeated element, text (or a number or boolean the XSD
 * types) at the leaves.
 */
type Parsed = string | number | boolean | null | undefined | ParsedElement | Parsed[];
interface ParsedElement {
  $value?: string | number | boolean;
  [name: string]: Parsed;
}
/** The value at `path` below `v`; undefined where a step is not an element (as `v?.a?.b` reads a parse). */
const at = (v: Parsed, ...path: string[]): Parsed =>
  path.reduce<Parsed>((o, k) => (o !== null && typeof o === 'object' && !Array.isArray(o) ? o[k] : undefined), v);
const list = (v: Parsed): Parsed[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const textOf = (v: Parsed): string =>
  v === undefined || v === null
    ? ''
    : typeof v === 'object'
      ? String((Array.isArray(v) ? undefined : v.$value) ?? '')
      : String(v);
const control1 = (v: Parsed) => textOf(v).replace(/\s+/g, ' ').trim();

/** The document inside the request's <xml> element, as sent (its line 1 is the root element's line). */
function documentOf(envelope: string): string {
  const open = /<((?:[\w.-]+:)?)xml(\s[^>]*)?>/.exec(envelope);
  if (!open) return '';
  const close = envelope.lastIndexOf(`</${open[1]}xml>`);
  return close < 0 ? '' : envelope.slice(open.index + open[0].length, close).trimStart();
}

/** The request as node-soap hands it to a service method: the one given to processRequest(). */
interface SoapRequest {
  headers?: Record<string, string | string[] | undefined>;
}

const upload = (o: Record<string, unknown>) => ({
  summary: '',
  details: '',
  ValidationErrors: '',
  ValidationWarnings: '',
  statuskode: 0,
  instnr: '',
  newobjects: 0,
  updatedobjects: 0,
  deletedobjects: 0,
  deniedobjects: 0,
  ...o,
});

export async function startUniLoginSimulator(opts: UniLoginSimulatorOptions = {}): Promise<UniLoginSimulator> {
  const users = opts.users ?? [{ user: 'idbro', password: 'secret' }];
  const institutions = new Set(opts.institutions ?? ['A10035']);
  const sources = new Set(opts.sources ?? ['idbro']);
  const state = new Map<string, SimImport>();
  const calls: Record<string, number> = {};
  const uploads: SimUpload[] = [];
  const requests: string[] = [];
  const raw = new Map<string, string>();
  let failures: { n: number; status: number } = { n: 0, status: 503 };
  let requestSeq = 0;

  const auth = (args: Parsed, v12: boolean) => {
    const u = users.find((x) => x.user === textOf(at(args, 'WSuserId')));
    if (u && u.password === textOf(at(args, 'WSpassword'))) return u;
    // node-soap answers a thrown error's `Fault` as the SOAP fault.
    throw Object.assign(new Error(BAD_CREDENTIALS_TEXT), {
      Fault: v12
        ? { Code: { Value: 'soap:Sender' }, Reason: { Text: BAD_CREDENTIALS_TEXT }, statusCode: 500 }
        : { faultcode: 'soap:Client', faultstring: BAD_CREDENTIALS_TEXT, detail: '', statusCode: 500 },
    });
  };

  /** The raw body of the request a service method is answering (node-soap passes only its parse). */
  const envelopeOf = (req: SoapRequest) => raw.get(String(req.headers?.['x-unilogin-sim-request'])) ?? '';

  async function handleUpload(
    method: string,
    mode: 'FULL' | 'INCREMENTAL' | 'DELETE',
    args: Parsed,
    req: SoapRequest,
    v12: boolean,
  ) {
    const envelope = envelopeOf(req);
    const user = auth(args, v12);
    const document = documentOf(envelope);
    const record = (statuskode: number) => uploads.push({ method, document, envelope, statuskode });
    const root = at(args, 'xml', 'UNILoginImport');
    const inst = control1(at(root, 'Institution', 'InstitutionNumber'));
    const answer = (o: { statuskode: number } & Record<string, unknown>) => {
      record(o.statuskode);
      return { [`${method}Result`]: upload({ instnr: inst, ...o }) };
    };
    const schema = mode === 'DELETE' ? 'uploaddelete' : 'uploadfull';
    const check = await validateDocument({ xml: document }, schema, xsdOf(schema));
    if (!check.valid) {
      return answer({
        statuskode: 8,
        summary: 'XML Fejl',
        ValidationErrors: {
          ValidationMessage: check.errors.map((e) => ({
            Message: `Linje: ${e.line ?? 0} udløser fejlen: [${e.message}]`,
          })),
        },
      });
    }
    const source = textOf(at(root, 'attributes', 'source'));
    const exportDateTime = textOf(at(root, 'attributes', 'exportdatetime'));
    if (!sources.has(source))
      return answer({ statuskode: 1, summary: `Fejl 1: Ukendt importkilde ${source} (${user.user})` });
    if (!institutions.has(inst) || (user.institutions && !user.institutions.includes(inst))) {
      return answer({
        statuskode: 2,
        summary: `Fejl 2: Ukendt institutionsnummer ${inst} eller ingen adgang (${user.user})`,
      });
    }
    const key = `${inst}|${source}`;
    const held = state.get(key);
    if (held && exportDateTime <= held.lastExportDateTime) {
      return answer({
        statuskode: 3,
        summary: `Fejl 3: Der findes en import med samme kilde og institution med senere dato (${held.lastExportDateTime})`,
      });
    }
    if (mode === 'INCREMENTAL' && !held)
      return answer({ statuskode: 4, summary: 'Fejl 4: Der findes ingen tidligere import at inkrementere' });

    const now: SimImport = held ?? { lastExportDateTime: exportDateTime, persons: new Map(), groups: new Map() };
    now.lastExportDateTime = exportDateTime;
    const counts = { newobjects: 0, updatedobjects: 0, deletedobjects: 0, deniedobjects: 0 };
    const people = list(at(root, 'Institution', 'InstitutionPerson'));
    if (mode === 'DELETE') {
      for (const p of people) {
        if (now.persons.delete(control1(at(p, 'LocalPersonId')))) counts.deletedobjects++;
        else counts.deniedobjects++;
      }
    } else {
      const seen = new Set<string>();
      for (const p of people) {
        const person = toPerson(p);
        if (!person) {
          counts.deniedobjects++;
          continue;
        }
        seen.add(person.localPersonId);
        const before = now.persons.get(person.localPersonId);
        if (!before) counts.newobjects++;
        else if (before.record !== person.record) counts.updatedobjects++;
        now.persons.set(person.localPersonId, person);
      }
      if (mode === 'FULL') {
        for (const id of [...now.persons.keys()]) {
          if (!seen.has(id)) {
            now.persons.delete(id);
            counts.deletedobjects++;
          }
        }
        now.groups.clear();
      }
      for (const g of list(at(root, 'Institution', 'Group'))) {
        const id = control1(at(g, 'GroupId'));
        if (id) now.groups.set(id, control1(at(g, 'GroupName')) || id);
      }
    }
    state.set(key, now);
    const kind = mode === 'FULL' ? 'Total' : 'Inkrementel';
    const details =
      mode === 'DELETE'
        ? `${kind} indlæsning afsluttet\nAntal nyindlæste: 0\nAntal genindlæste: 0\nAntal slettede: ${counts.deletedobjects}\nAntal ukendte: ${counts.deniedobjects}`
        : `${kind} indlæsning afsluttet\nAntal nyindlæste: ${counts.newobjects}\nAntal genindlæste: ${counts.updatedobjects}\nAntal udgåede: ${counts.deletedobjects}\nAntal afviste: ${counts.deniedobjects}`;
    return answer({ statuskode: 0, summary: 'Indlæsning afsluttet', details, ...counts });
  }

  /** An InstitutionPerson as held; null when control 1 rejects it (an empty name). */
  function toPerson(p: Parsed): SimPerson | null {
    const person: Parsed = at(p, 'Person') ?? {};
    const student = at(p, 'Student');
    const employee = at(p, 'Employee');
    const firstName = control1(at(person, 'FirstName'));
    const familyName = control1(at(person, 'FamilyName'));
    const localPersonId = control1(at(p, 'LocalPersonId'));
    if (!firstName || !familyName || !localPersonId) return null;
    return {
      localPersonId,
      firstName,
      familyName,
      cpr: control1(at(person, 'CivilRegistrationNumber')) || null,
      email: control1(at(person, 'EmailAddress')) || null,
      employeeType: employee ? textOf(at(employee, 'attributes', 'type')) : null,
      studentType: student ? textOf(at(student, 'attributes', 'type')) : null,
      mainGroupId: student ? control1(at(student, 'MainGroupId')) : null,
      groupIds: [...list(at(employee, 'GroupId')), ...list(at(student, 'GroupId'))].map(control1),
      record: JSON.stringify({ person, student: student ?? null, employee: employee ?? null }),
    };
  }

  /** A service method that counts its calls; gets the parsed arguments and the (serverless) request. */
  const counted =
    (name: string, fn: (args: Parsed, req: SoapRequest) => unknown) =>
    (args: Parsed, _cb: unknown, _headers: unknown, req: SoapRequest) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return fn(args ?? {}, req);
    };
  const schemaOf = (name: Parsed): 'uploadfull' | 'uploaddelete' =>
    textOf(name) === 'uploaddelete.xsd' ? 'uploaddelete' : 'uploadfull';
  const xsdOf = (schema: 'uploadfull' | 'uploaddelete') => opts.schemas?.[schema] ?? schemaText(schema);
  const validateAnswer = async (req: SoapRequest, schema: 'uploadfull' | 'uploaddelete') => {
    const check = await validateDocument({ xml: documentOf(envelopeOf(req)) }, schema, xsdOf(schema));
    return check.valid
      ? {
          Message: 'XML blev modtaget og validerer korrekt mod schema definitionen.',
          ErrorCount: 0,
          ValidationErrors: '',
        }
      : {
          Message: 'XML validerer ikke mod schema definitionen.',
          ErrorCount: check.errors.length,
          ValidationErrors: {
            ValidationMessage: check.errors.map((e) => ({
              Message: `Linje: ${e.line ?? 0} udløser fejlen: [${e.message}]`,
            })),
          },
        };
  };
  const port = (v12: boolean) => ({
    HelloWorld: counted('HelloWorld', () => ({ HelloWorldResult: 'Hello World' })),
    HelloWorldWithCredentials: counted('HelloWorldWithCredentials', (args) => {
      auth(args, v12);
      return { HelloWorldWithCredentialsResult: 'Hello World' };
    }),
    GetXmlSchemaNames: counted('GetXmlSchemaNames', () => ({
      GetXmlSchemaNamesResult: { string: ['uploaddelete.xsd', 'uploadfull.xsd'] },
    })),
    GetXmlSchema: counted('GetXmlSchema', (args) => ({
      GetXmlSchemaResult: { $xml: xsdOf(schemaOf(at(args, 'schemaname'))).replace(/^\s*<\?xml[^?]*\?>\s*/, '') },
    })),
    ValidateXmlAgainstSchema: counted('ValidateXmlAgainstSchema', async (_args, req) => ({
      ValidateXmlAgainstSchemaResult: await validateAnswer(req, 'uploadfull'),
    })),
    ValidateXmlAgainstNamedSchema: counted('ValidateXmlAgainstNamedSchema', async (args, req) => ({
      ValidateXmlAgainstNamedSchemaResult: await validateAnswer(req, schemaOf(at(args, 'schemaname'))),
    })),
    UploadXmlData: counted('UploadXmlData', (args, req) => handleUpload('UploadXmlData', 'FULL', args, req, v12)),
    UploadIncrementalXmlData: counted('UploadIncrementalXmlData', (args, req) =>
      handleUpload('UploadIncrementalXmlData', 'INCREMENTAL', args, req, v12),
    ),
    UploadDeleteXmlData: counted('UploadDeleteXmlData', (args, req) =>
      handleUpload('UploadDeleteXmlData', 'DELETE', args, req, v12),
    ),
  });

  const wsdlText = readFileSync(join(schemaDir(), 'ws10.wsdl'), 'utf8');
  // One soap server per SOAP version: each answers in the envelope its requests use.
  const soapServer = (v12: boolean) =>
    new Promise<soap.Server>((resolve, reject) => {
      const s = soap.listen(null, {
        path: '/',
        xml: wsdlText,
        forceSoap12Headers: v12,
        services: { UniLoginImport: { UniLoginImportSoap12: port(v12) } },
        callback: (err: unknown) => {
          if (!err) resolve(s);
          else reject(err instanceof Error ? err : new Error('The simulator could not load its WSDL.', { cause: err }));
        },
      });
    });
  const [soap11, soap12] = await Promise.all([soapServer(false), soapServer(true)]);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      if (failures.n > 0) {
        failures.n--;
        res
          .writeHead(failures.status, { 'content-type': 'text/html' })
          .end(`<html><body><h1>${failures.status} Service Unavailable</h1></body></html>`);
        return;
      }
      if (req.method === 'GET') {
        if (/^\?wsdl$/i.test(new URL(req.url ?? '/', 'http://x').search)) {
          res
            .writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
            .end(wsdlText.replace(/location="[^"]*"/, `location="${url}"`));
        } else
          res
            .writeHead(200, { 'content-type': 'text/plain' })
            .end('UNI-Login WS10 simulator: POST SOAP here, GET ?wsdl for the WSDL.');
        return;
      }
      const v12 = body.includes('http://www.w3.org/2003/05/soap-envelope');
      if (
        req.method !== 'POST' ||
        !/<([\w.-]+:)?Envelope[\s>]/.test(body) ||
        (!v12 && !body.includes('http://schemas.xmlsoap.org/soap/envelope/'))
      ) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request');
        return;
      }
      const id = String(++requestSeq);
      raw.set(id, body);
      requests.push(body);
      try {
        const out = await (v12 ? soap12 : soap11).processRequest(body, {
          headers: { ...req.headers, 'x-unilogin-sim-request': id },
          url: req.url ?? '/',
          method: 'POST',
        });
        res
          .writeHead(out.statusCode, {
            'content-type': v12 ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8',
          })
          .end(out.body);
      } finally {
        raw.delete(id);
      }
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`simulator error: ${(e as Error).message}`);
    }
  };
  // handle() answers every failure itself (500), so nothing is left to the promise.
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let stopped = false;
  return {
    url,
    wsdlUrl: `${url}?wsdl`,
    state,
    calls,
    uploads,
    requests,
    lastUpload: () => uploads[uploads.length - 1],
    persons: (institution, source) =>
      [...(state.get(`${institution}|${source}`)?.persons.values() ?? [])].sort((a, b) =>
        a.localPersonId < b.localPersonId ? -1 : 1,
      ),
    failNext(n = 1, status = 503) {
      failures = { n, status };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The demo's WS10 account (npm start): what the simulator knows and what the export is configured with. */
export const DEMO_UNILOGIN = {
  user: 'demo-unilogin',
  password: 'demo-unilogin-password',
  institution: 'A10035',
  source: 'idbro-demo',
} as const;

/**
 * The UNILOGIN_* settings of the demo for a simulator at `url`. The whole LOS organisation is exported (`los:*`):
 * the demo imports its LOS delivery in the background on first start, so no unit id is known in advance.
 * UNILOGIN_ROOT_OU and UNILOGIN_EMPLOYEE_TYPES from the environment win.
 */
export function uniloginDemoSettings(url: string, env: Record<string, string | undefined>): Record<string, string> {
  return {
    UNILOGIN_URL: url,
    UNILOGIN_USER: DEMO_UNILOGIN.user,
    UNILOGIN_PASSWORD: DEMO_UNILOGIN.password,
    UNILOGIN_INSTITUTION: DEMO_UNILOGIN.institution,
    UNILOGIN_SOURCE: DEMO_UNILOGIN.source,
    UNILOGIN_ROOT_OU: env.UNILOGIN_ROOT_OU ?? 'los:*',
    UNILOGIN_EMPLOYEE_TYPES:
      env.UNILOGIN_EMPLOYEE_TYPES ?? 'Lærer=lærer;Skoleleder=lærer;Pædagog=pæd;Pædagogmedhjælper=pæd',
  };
}

/** The demo's simulator: it knows the demo account, institution and source. */
export function startDemoUniLoginSimulator(): Promise<UniLoginSimulator> {
  return startUniLoginSimulator({
    users: [{ user: DEMO_UNILOGIN.user, password: DEMO_UNILOGIN.password }],
    institutions: [DEMO_UNILOGIN.institution],
    sources: [DEMO_UNILOGIN.source],
  });
}
