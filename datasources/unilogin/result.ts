/**
 * Reading the service's answers (seed 003, "Svar fra servicen", "Soap fejl"): the upload result and SOAP faults.
 *
 * Read from the raw response text by element local name, whatever the prefixes and namespaces: the documentation
 * itself shows the answers in three namespaces (http://www.uni-c.dk/import2 for the uploads and Get methods,
 * http://www.unic.dk/uniloginuploadv2 for the validation example) and faults in SOAP 1.1 form inside SOAP 1.2
 * examples. The result is flat (one level of fields, one list of messages), so a small reader suffices.
 */

export interface UploadResult {
  /** 0 = accepted and loaded; see STATUS_MEANINGS. */
  statuskode: number;
  /** A short text, or the error when statuskode ≠ 0. */
  summary: string;
  /** Counts for the end user; empty when statuskode ≠ 0. */
  details: string;
  /** e.g. "Linje: 3 udløser fejlen: [The 'BirthDate' element is invalid ...]" */
  validationErrors: string[];
  validationWarnings: string[];
  instnr: string;
  newobjects: number;
  updatedobjects: number;
  deletedobjects: number;
  deniedobjects: number;
}

/** The statuskode table of seed 003 ("Statuskode"). */
export const STATUS_MEANINGS: Readonly<Record<number, string>> = {
  0: 'accepted and loaded',
  1: 'the import source is unknown',
  2: 'the institution number is unknown',
  3: 'another import with the same source and institution has a later date than this one',
  4: 'no earlier import with this source and institution to increment (incremental only)',
  5: 'general date error',
  8: 'XML error (syntax or schema) in the input',
  9: 'internal error in the service (to be reported to UNI-Login support)',
};

export interface SoapFault {
  code: string;
  message: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** CDATA content as escaped text, so that removing markup afterwards leaves it alone. */
function escapeCdata(text: string): string {
  return text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, c: string) =>
    c.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}

const QNAME = '(?:[A-Za-z_][\\w.-]*:)?';

/** Every element called `name` (any prefix): its inner text, or '' when empty (`<x/>`). */
function elements(xml: string, name: string): string[] {
  const re = new RegExp(`<${QNAME}${name}(?:\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</${QNAME}${name}\\s*>)`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] ?? '');
}

function first(xml: string, name: string): string | undefined {
  return elements(xml, name)[0];
}

/** Text content: markup removed, entities decoded, blanks kept as the service wrote them but ends trimmed. */
function text(inner: string | undefined): string {
  return decodeEntities(escapeCdata(inner ?? '').replace(/<[^>]+>/g, '')).trim();
}

/** A count; the documentation's examples leave some empty (the digit 0 was lost in the text) — empty is 0. */
function count(inner: string | undefined): number {
  const t = text(inner);
  const n = t === '' ? 0 : Number(t);
  return Number.isInteger(n) ? n : NaN;
}

function messages(listInner: string | undefined): string[] {
  if (!listInner) return [];
  return elements(listInner, 'Message')
    .map((m) => text(m))
    .filter(Boolean);
}

/** The SOAP fault in a response, SOAP 1.1 (faultcode/faultstring) or 1.2 (Code/Value, Reason/Text); else undefined. */
export function parseSoapFault(xml: string): SoapFault | undefined {
  const fault = first(xml, 'Fault');
  if (fault === undefined) return undefined;
  const code = text(first(fault, 'faultcode')) || text(first(first(fault, 'Code') ?? '', 'Value'));
  const message = text(first(fault, 'faultstring')) || text(first(first(fault, 'Reason') ?? '', 'Text'));
  return { code, message };
}

/**
 * The `<Upload…XmlDataResult>` of a response. Throws when the text has none (not an upload answer), naming what
 * was found instead.
 */
export function parseUploadResult(xml: string): UploadResult {
  const m = new RegExp(`<${QNAME}(Upload\\w*XmlDataResult)(?:\\s[^>]*)?>([\\s\\S]*?)</${QNAME}\\1\\s*>`).exec(xml);
  if (!m) {
    const fault = parseSoapFault(xml);
    throw new Error(
      fault
        ? `SOAP fault ${fault.code}: ${fault.message}`
        : `no Upload…XmlDataResult in the answer (${xml.slice(0, 200).replace(/\s+/g, ' ')}…)`,
    );
  }
  const r = m[2] ?? '';
  const statuskode = count(first(r, 'statuskode'));
  if (Number.isNaN(statuskode))
    throw new Error(`the answer's statuskode is not a number: "${text(first(r, 'statuskode'))}"`);
  return {
    statuskode,
    summary: text(first(r, 'summary')),
    details: text(first(r, 'details')),
    validationErrors: messages(first(r, 'ValidationErrors')),
    validationWarnings: messages(first(r, 'ValidationWarnings')),
    instnr: text(first(r, 'instnr')),
    newobjects: count(first(r, 'newobjects')) || 0,
    updatedobjects: count(first(r, 'updatedobjects')) || 0,
    deletedobjects: count(first(r, 'deletedobjects')) || 0,
    deniedobjects: count(first(r, 'deniedobjects')) || 0,
  };
}

/** The `<ValidateXmlAgainst…SchemaResult>` (Bilag 3): OK message, error count and the messages. */
export function parseValidateResult(xml: string): { message: string; errorCount: number; errors: string[] } {
  const m = new RegExp(
    `<${QNAME}(ValidateXmlAgainst\\w*SchemaResult)(?:\\s[^>]*)?>([\\s\\S]*?)</${QNAME}\\1\\s*>`,
  ).exec(xml);
  if (!m)
    throw new Error(`no ValidateXmlAgainst…SchemaResult in the answer (${xml.slice(0, 200).replace(/\s+/g, ' ')}…)`);
  const r = m[2] ?? '';
  // The result's own Message comes before ValidationErrors, whose messages are nested one level deeper.
  const errorsInner = first(r, 'ValidationErrors');
  const head = errorsInner === undefined ? r : r.slice(0, r.search(new RegExp(`<${QNAME}ValidationErrors[\\s/>]`)));
  return {
    message: text(first(head, 'Message')),
    errorCount: count(first(r, 'ErrorCount')) || 0,
    errors: messages(errorsInner),
  };
}

/** "Linje: 3 udløser fejlen: […]" → 3. */
export function lineOfMessage(message: string): number | null {
  const m = /Linje:\s*(\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}
