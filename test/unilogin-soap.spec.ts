/**
 * WS10 over real SOAP on loopback: our client (datasources/unilogin/client.ts) against the simulator
 * (simulators/unilogin.ts), and both against seed 003's test vectors (test/fixtures/unilogin): the example
 * document validates against our XSD, the response texts parse into results, and the request we send has the
 * shape of the seed's request.
 */
import { request } from 'node:http';
import { startUniLoginSimulator, type UniLoginSimulator } from '../simulators/unilogin';
import { UniLoginClient, UniLoginError } from '../datasources/unilogin/client';
import { validateDocument } from '../datasources/unilogin/validate';
import { lineOfMessage, parseSoapFault, parseUploadResult, parseValidateResult } from '../datasources/unilogin/result';
import { INSTITUTION, PASSWORD, SOURCE, USER, fixture, pathOf, shapeOf } from './helpers/unilogin';
import { first, last, nth } from './helpers/defined';

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const REQUEST_NS = 'http://www.uni-c.dk/uniloginuploadv2';

/** A small import document; `persons` as [LocalPersonId, FirstName, FamilyName]. */
function doc(o: {
  at: string;
  source?: string;
  institution?: string;
  persons?: [string, string, string][];
  extra?: string;
}): string {
  const persons = (o.persons ?? [])
    .map(
      ([id, first, family]) => `    <InstitutionPerson>
      <LocalPersonId>${id}</LocalPersonId>
      <Person>
        <FirstName>${first}</FirstName>
        <FamilyName>${family}</FamilyName>${o.extra ?? ''}
      </Person>
      <Employee type="tap">
      </Employee>
    </InstitutionPerson>
`,
    )
    .join('');
  return `<UNILoginImport exportdatetime="${o.at}" source="${o.source ?? SOURCE}">
  <Institution>
    <InstitutionNumber>${o.institution ?? INSTITUTION}</InstitutionNumber>
${persons}  </Institution>
</UNILoginImport>
`;
}

const deleteDoc = (at: string, ids: string[]) => `<UNILoginImport exportdatetime="${at}" source="${SOURCE}">
  <Institution>
    <InstitutionNumber>${INSTITUTION}</InstitutionNumber>
${ids.map((id) => `    <InstitutionPerson>\n      <LocalPersonId>${id}</LocalPersonId>\n    </InstitutionPerson>\n`).join('')}  </Institution>
</UNILoginImport>
`;

function post(url: string, body: string, contentType: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('UNI-Login WS10: seed test vectors', () => {
  it('the appendix example document (Bilag 1) validates against our uploadfull.xsd', async () => {
    const result = await validateDocument({ xml: fixture('bilag1-example.xml') }, 'uploadfull');
    expect(result).toEqual({ valid: true, errors: [] });
  });

  it("the seed's three schema faults are caught, each on its line", async () => {
    const broken = fixture('bilag1-example.xml')
      .replace('<BirthDate>1929-04-01', '<BirthDate>ukendt')
      .replace('<Gender>M', '<Gender>pige')
      .replace('<HomePhoneNumber protected="0">', '<HomePhoneNumber>');
    const lines = broken.split('\n');
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    const result = await validateDocument({ xml: broken }, 'uploadfull');
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.line)).toEqual([lineOf('<HomePhoneNumber>'), lineOf('ukendt'), lineOf('pige')]);
    expect(first(result.errors).message).toMatch(/protected/);
  });

  it('the response texts parse into results', () => {
    expect(parseUploadResult(fixture('response-accepted.xml'))).toMatchObject({
      statuskode: 0,
      summary: 'Indlæsning afsluttet',
      instnr: 'A10035',
      newobjects: 2,
      updatedobjects: 0,
      deletedobjects: 0,
      deniedobjects: 0,
      validationErrors: [],
      validationWarnings: [],
    });
    expect(parseUploadResult(fixture('response-accepted.xml')).details).toMatch(
      /^Total indlæsning afsluttet\nAntal nyindlæste: 2/,
    );
    expect(parseUploadResult(fixture('response-delete.xml'))).toMatchObject({
      statuskode: 0,
      deletedobjects: 2,
      deniedobjects: 2,
    });
    const errors = parseUploadResult(fixture('response-xml-errors.xml'));
    expect(errors).toMatchObject({ statuskode: 8, summary: 'XML Fejl', details: '' });
    expect(errors.validationErrors).toHaveLength(4);
    expect(errors.validationErrors[0]).toBe(
      "Linje: 3 udløser fejlen: [The 'BirthDate' element is invalid - The value 'ukendt' is invalid according to its datatype 'String' - The Pattern constraint failed.]",
    );
    expect(errors.validationErrors.map(lineOfMessage)).toEqual([3, 59, 10, 57]);
    expect(parseUploadResult(fixture('response-unknown-source.xml'))).toMatchObject({
      statuskode: 1,
      summary: 'Fejl 1: Ukendt importkilde EASYX (testxxa)',
    });
    expect(parseValidateResult(fixture('bilag3-response.xml'))).toEqual({
      message: 'XML blev modtaget og validerer korrekt mod schema definitionen.',
      errorCount: 0,
      errors: [],
    });
    expect(parseSoapFault(fixture('fault-credentials.xml'))).toEqual({
      code: 'soap:Client',
      message: 'Kombinationen af brugernavn og adgangskode er forkert.',
    });
  });
});

describe('UNI-Login WS10: client against the simulator', () => {
  let sim: UniLoginSimulator;
  let client: UniLoginClient;

  beforeAll(async () => {
    sim = await startUniLoginSimulator({
      users: [{ user: USER, password: PASSWORD }],
      institutions: [INSTITUTION, 'B20000'],
      sources: [SOURCE],
    });
    client = await UniLoginClient.create({ url: sim.url, user: USER, password: PASSWORD, timeoutMs: 20_000 });
  });
  afterAll(() => sim?.stop());

  it("the request envelope has the seed's shape: SOAP 1.2, prefixed operation and parameters, the document unqualified inside <xml>", async () => {
    const sample = fixture('bilag2-request.xml');
    const answer = await client.validate(
      sample.slice(sample.indexOf('<UNILoginImport'), sample.indexOf('</UNILoginImport>') + '</UNILoginImport>'.length),
    );
    expect(answer).toEqual({
      message: 'XML blev modtaget og validerer korrekt mod schema definitionen.',
      errorCount: 0,
      errors: [],
    });
    const names = ['Body', 'ValidateXmlAgainstSchema', 'xml', 'UNILoginImport', 'Institution'];
    const flat = (xml: string) => pathOf(shapeOf(xml), names).map((n) => ({ ns: n.ns, name: n.name }));
    const ours = flat(last(sim.requests));
    expect(ours).toEqual(flat(sample));
    expect(ours).toEqual([
      { ns: SOAP12, name: 'Envelope' },
      { ns: SOAP12, name: 'Body' },
      { ns: REQUEST_NS, name: 'ValidateXmlAgainstSchema' },
      { ns: REQUEST_NS, name: 'xml' },
      { ns: '', name: 'UNILoginImport' },
      { ns: '', name: 'Institution' },
    ]);
    // The operation element carries no default namespace of its own (the document would inherit it).
    expect(sim.requests[sim.requests.length - 1]).toMatch(/<(\w+):ValidateXmlAgainstSchema><\1:xml><UNILoginImport /);
  });

  it("an upload carries the credentials as parameters, prefixed like the seed's parameters", async () => {
    const r = await client.upload('FULL', {
      xml: doc({ at: '2024-01-01T10:00:00', persons: [['p1', 'Peter', 'Hansen']] }),
    });
    expect(r.statuskode).toBe(0);
    const shape = shapeOf(last(sim.requests));
    const op = nth(pathOf(shape, ['Body', 'UploadXmlData']), 2);
    expect(op).toMatchObject({ ns: REQUEST_NS, name: 'UploadXmlData' });
    expect(op.children.map((c) => `${c.ns} ${c.name}`)).toEqual([
      `${REQUEST_NS} WSuserId`,
      `${REQUEST_NS} WSpassword`,
      `${REQUEST_NS} xml`,
    ]);
    expect(op.children[2]?.children[0]).toMatchObject({ ns: '', name: 'UNILoginImport' });
  });

  it('statuskode 0: new, updated and (FULL) deleted counts; per-person state', async () => {
    const first = await client.upload('FULL', {
      xml: doc({
        at: '2024-02-01T10:00:00',
        source: SOURCE,
        institution: 'B20000',
        persons: [
          ['a', 'Anne', 'Hansen'],
          ['b', 'Bo', 'Jensen'],
        ],
      }),
    });
    expect(first).toMatchObject({
      statuskode: 0,
      newobjects: 2,
      updatedobjects: 0,
      deletedobjects: 0,
      instnr: 'B20000',
    });
    const second = await client.upload('FULL', {
      xml: doc({
        at: '2024-02-01T10:00:01',
        institution: 'B20000',
        persons: [
          ['a', 'Anne', 'Hansen-Berg'],
          ['c', 'Carl', 'Nielsen'],
        ],
      }),
    });
    expect(second).toMatchObject({
      statuskode: 0,
      newobjects: 1,
      updatedobjects: 1,
      deletedobjects: 1,
      deniedobjects: 0,
    });
    expect(sim.persons('B20000', SOURCE).map((p) => `${p.localPersonId} ${p.firstName} ${p.familyName}`)).toEqual([
      'a Anne Hansen-Berg',
      'c Carl Nielsen',
    ]);
    // Control 1: blanks collapse; a name blank after trimming denies that person only.
    const third = await client.upload('INCREMENTAL', {
      xml: doc({
        at: '2024-02-01T10:00:02',
        institution: 'B20000',
        persons: [
          ['d', '  Dorte \t Marie ', 'Lund'],
          ['e', '   ', 'Holm'],
        ],
      }),
    });
    expect(third).toMatchObject({ statuskode: 0, newobjects: 1, deniedobjects: 1 });
    expect(sim.persons('B20000', SOURCE).find((p) => p.localPersonId === 'd')?.firstName).toBe('Dorte Marie');
  });

  it("DELETE of four persons of which two exist: deletedobjects 2, deniedobjects 2 (the seed's example)", async () => {
    await client.upload('FULL', {
      xml: doc({
        at: '2024-03-01T10:00:00',
        persons: [
          ['x1', 'A', 'B'],
          ['x2', 'C', 'D'],
        ],
      }),
    });
    const r = await client.upload('DELETE', { xml: deleteDoc('2024-03-01T10:00:01', ['x1', 'x2', 'x3', 'x4']) });
    expect(r).toMatchObject({ statuskode: 0, deletedobjects: 2, deniedobjects: 2 });
    expect(r.details).toMatch(/Antal slettede: 2\nAntal ukendte: 2/);
  });

  it('statuskode 1, 2, 3 and 4', async () => {
    expect(await client.upload('FULL', { xml: doc({ at: '2024-04-01T10:00:00', source: 'EASYX' }) })).toMatchObject({
      statuskode: 1,
      summary: `Fejl 1: Ukendt importkilde EASYX (${USER})`,
      details: '',
    });
    expect(
      await client.upload('FULL', { xml: doc({ at: '2024-04-01T10:00:00', institution: 'Z99999' }) }),
    ).toMatchObject({ statuskode: 2 });
    await client.upload('FULL', { xml: doc({ at: '2024-04-02T10:00:00', institution: 'B20000' }) });
    // Not later than the last loaded: the same second, and an earlier one.
    expect(
      await client.upload('FULL', { xml: doc({ at: '2024-04-02T10:00:00', institution: 'B20000' }) }),
    ).toMatchObject({ statuskode: 3 });
    expect(
      await client.upload('INCREMENTAL', { xml: doc({ at: '2024-01-01T00:00:00', institution: 'B20000' }) }),
    ).toMatchObject({ statuskode: 3 });
    const fresh = await startUniLoginSimulator({ users: [{ user: USER, password: PASSWORD }] });
    try {
      const c = await UniLoginClient.create({ url: fresh.url, user: USER, password: PASSWORD });
      expect(await c.upload('INCREMENTAL', { xml: doc({ at: '2024-04-01T10:00:00' }) })).toMatchObject({
        statuskode: 4,
        summary: expect.stringMatching(/Fejl 4/),
      });
    } finally {
      await fresh.stop();
    }
  });

  it('statuskode 8: a schema-invalid document gives "Linje: N udløser fejlen: [...]" per error', async () => {
    const bad = doc({
      at: '2024-05-01T10:00:00',
      persons: [['p', 'Peter', 'Hansen']],
      extra: '\n        <BirthDate>ukendt</BirthDate>\n        <Gender>pige</Gender>',
    });
    const r = await client.upload('FULL', { xml: bad });
    expect(r).toMatchObject({ statuskode: 8, summary: 'XML Fejl', details: '', newobjects: 0 });
    const lines = bad.split('\n');
    expect(r.validationErrors.map(lineOfMessage)).toEqual([
      lines.findIndex((l) => l.includes('ukendt')) + 1,
      lines.findIndex((l) => l.includes('pige')) + 1,
    ]);
    expect(r.validationErrors[0]).toMatch(/^Linje: \d+ udløser fejlen: \[Element 'BirthDate'/);
  });

  it("wrong credentials: the seed's SOAP fault, as a permanent credentials error without the password", async () => {
    const wrong = await UniLoginClient.create({ url: sim.url, user: USER, password: 'not-the-password' });
    const err: UniLoginError = await wrong.upload('FULL', { xml: doc({ at: '2024-06-01T10:00:00' }) }).catch((e) => e);
    expect(err).toBeInstanceOf(UniLoginError);
    expect(err).toMatchObject({ kind: 'credentials', transient: false });
    expect(err.message).toMatch(
      /Kombinationen af brugernavn og adgangskode er forkert\..*UNILOGIN_USER and UNILOGIN_PASSWORD/,
    );
    expect(err.message).not.toContain('not-the-password');
    expect(await client.helloWorldWithCredentials()).toBe('Hello World');
    // SOAP 1.1 callers get the fault in the seed's SOAP 1.1 form.
    const v11 = await post(
      sim.url,
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:u="${REQUEST_NS}"><s:Body><u:HelloWorldWithCredentials><u:WSuserId>x</u:WSuserId><u:WSpassword>y</u:WSpassword></u:HelloWorldWithCredentials></s:Body></s:Envelope>`,
      'text/xml; charset=utf-8',
    );
    expect(v11.status).toBe(500);
    expect(v11.body).toMatch(/<faultcode>soap:Client<\/faultcode>/);
    expect(parseSoapFault(v11.body)).toEqual(parseSoapFault(fixture('fault-credentials.xml')));
  });

  it('HTTP: a body that is not SOAP → 400; the service unavailable → 5xx, a transient error naming UNILOGIN_URL', async () => {
    expect((await post(sim.url, 'hello', 'text/plain')).status).toBe(400);
    sim.failNext(1, 503);
    const err: UniLoginError = await client.upload('FULL', { xml: doc({ at: '2024-07-01T10:00:00' }) }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'http', transient: true, status: 503 });
    expect(err.message).toContain(`UNILOGIN_URL=${sim.url}`);
  });

  it('GetXmlSchemaNames and GetXmlSchema answer as in the seed', async () => {
    const names = await post(
      sim.url,
      `<s:Envelope xmlns:s="${SOAP12}" xmlns:u="${REQUEST_NS}"><s:Body><u:GetXmlSchemaNames/></s:Body></s:Envelope>`,
      'application/soap+xml',
    );
    expect(names.body).toMatch(/GetXmlSchemaNamesResponse[\s\S]*uploaddelete\.xsd[\s\S]*uploadfull\.xsd/);
    const schema = await post(
      sim.url,
      `<s:Envelope xmlns:s="${SOAP12}" xmlns:u="${REQUEST_NS}"><s:Body><u:GetXmlSchema><u:schemaname>uploadfull.xsd</u:schemaname></u:GetXmlSchema></s:Body></s:Envelope>`,
      'application/soap+xml',
    );
    expect(schema.body).toMatch(
      /<imp:GetXmlSchemaResult>[\s\S]*<xs:schema xmlns:xs="http:\/\/www.w3.org\/2001\/XMLSchema"[\s\S]*<\/imp:GetXmlSchemaResult>/,
    );
  });
});
