/**
 * Streaming reader for the LOS CSV files (specs/aarhus-los.md, "Common CSV rules"): `;`-separated, `"`-quoted
 * with doubled quotes inside, header first, UTF-8 (a BOM is allowed), CRLF or LF. It never holds more than a
 * chunk and one record in memory, so a 30,000-row Aarhus file streams straight from the FTP download.
 *
 * Problems are data (design/architecture.md, convention 5): a bad row becomes an issue and is skipped; a file
 * that cannot be read as a whole (missing required column, not UTF-8 nor Windows-1252, unterminated quote) is
 * marked `rejected` with an issue, and its rows must not be applied.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { type ColumnSpec, type CsvRow, columnsForFile } from './records';

export type { CsvRow };
import { type LosIssue, describeRecord } from './values';

export interface ReadCsvOptions {
  /**
   * The header the file must have. Default: the columns of the file kind its name says (`columnsForFile`);
   * `null`: no check, every column is passed on under its own name.
   */
  columns?: ColumnSpec | null;
  /** Called with each issue as it is found; all issues are also collected in `reader.issues`. */
  onIssue?: (issue: LosIssue) => void;
}

/** The longest record we accept, in characters; more means a runaway quote, and we stop before memory does. */
const MAX_RECORD_CHARS = 1_000_000;

/**
 * Reads a LOS CSV file from a byte stream. Iterate it once with `for await`; afterwards `issues`, `rejected`
 * and `encoding` tell how it went. When `rejected` becomes true the reader stops yielding rows and drains the
 * rest of the stream; rows yielded before that (an encoding error found late in the file) must be discarded
 * by the caller — apply a file's rows only after the iteration ended with `rejected === false`.
 */
export function readCsv(stream: Readable, fileName: string, options: ReadCsvOptions = {}): LosCsvReader {
  return new LosCsvReader(stream, fileName, options);
}

export class LosCsvReader implements AsyncIterable<CsvRow> {
  readonly issues: LosIssue[] = [];
  /** The canonical names of the header's columns, known after the first row (`undefined` for unknown ones). */
  header: (string | undefined)[] = [];
  private rejectedFlag = false;
  private started = false;
  private readonly decoder: LosDecoder;
  private readonly columns: ColumnSpec | null;

  constructor(
    private readonly source: Readable,
    readonly fileName: string,
    private readonly options: ReadCsvOptions,
  ) {
    this.columns = options.columns === undefined ? columnsForFile(fileName) : options.columns;
    this.decoder = new LosDecoder(fileName, (issue, reject) => {
      this.report(issue);
      if (reject) this.rejectedFlag = true;
    });
  }

  /** True when the file as a whole is unusable; its rows must not be applied. */
  get rejected(): boolean {
    return this.rejectedFlag;
  }

  /** How the bytes were decoded: 'utf-8', or 'windows-1252' after the fallback (with a warning). */
  get encoding(): 'utf-8' | 'windows-1252' {
    return this.decoder.encoding;
  }

  private report(issue: LosIssue): void {
    this.issues.push(issue);
    this.options.onIssue?.(issue);
  }

  private reject(issue: Omit<LosIssue, 'severity' | 'file'>): void {
    this.report({ severity: 'error', file: this.fileName, ...issue });
    this.rejectedFlag = true;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<CsvRow> {
    if (this.started) throw new Error(`readCsv(${this.fileName}): a reader can be iterated only once`);
    this.started = true;

    const parser = parse({
      delimiter: ';',
      quote: '"',
      escape: '"', // i.e. a doubled quote inside quotes; there is no backslash escape
      record_delimiter: '\n', // the decoder turns CRLF into LF, which keeps csv-parse's line count right
      relax_column_count: true, // a row with the wrong number of fields is one bad row, not a failed file
      relax_quotes: true, // a quote inside an unquoted field (Børnehuset "Sol") is text, not an error
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_CHARS,
      info: true,
    });
    parser.on('skip', (err: Error & { code?: string; lines?: number }) => {
      // What is left after relax_*: a closing quote followed by text, a quote never closed, a runaway record.
      // The last two leave nothing readable after them, so the file is incomplete.
      const line = err.lines;
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
        this.reject({
          line,
          message: `File rejected: a quoted field is never closed; the rest of the file (from about line ${line}) is unreadable`,
        });
      } else if (err.code === 'CSV_MAX_RECORD_SIZE') {
        this.reject({
          line,
          message: `File rejected: a record longer than ${MAX_RECORD_CHARS} characters near line ${line} (probably an unclosed quote)`,
        });
      } else {
        this.report({
          severity: 'error',
          file: this.fileName,
          line,
          message: `Row skipped: malformed CSV (${err.code ?? err.message})`,
        });
      }
    });
    const fail = (err: Error) => parser.destroy(err);
    this.source.on('error', fail);
    this.decoder.on('error', fail);
    this.source.pipe(this.decoder).pipe(parser);

    let finished = false;
    let mapping: ColumnMapping | undefined;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (this.rejectedFlag) continue; // drain: the file is not applied, and a cut-off last record is noise
        // csv-parse counts the line a record ends on; a quoted multi-line field starts earlier.
        const line = info.lines - record.reduce((n, v) => n + countNewlines(v), 0);
        if (!mapping) {
          mapping = this.readHeader(record, line);
          if (this.rejectedFlag) this.drain();
          continue;
        }
        if (record.every((v) => v === '')) continue; // `;;;;` is an empty line too
        const row = this.toRow(mapping, record, line);
        if (row) yield row;
      }
      if (!mapping && !this.rejectedFlag) this.reject({ message: 'File rejected: it is empty (no header row)' });
      finished = true;
    } finally {
      this.source.off('error', fail);
      if (!finished) {
        // The caller stopped early (or a stream failed): stop the download rather than read on.
        this.source.unpipe(this.decoder);
        this.source.destroy();
        parser.destroy();
      }
    }
  }

  /** Stop parsing but keep reading the source to its end, so an FTP transfer completes normally. */
  private drain(): void {
    if (this.source.readableEnded) return; // pipe() has ended the decoder already
    this.source.unpipe(this.decoder);
    this.source.once('end', () => this.decoder.end());
    this.source.resume();
  }

  private readHeader(names: string[], line: number): ColumnMapping {
    const mapping: ColumnMapping = { names: [], width: names.length };
    const columns = this.columns;
    if (!columns) {
      mapping.names = names.map((n) => n.trim() || undefined);
      this.header = mapping.names;
      return mapping;
    }
    // Match names case-insensitively: the files write `Med-i-LinjeOrg`, the seed text `Med-i-Linjeorg`.
    const canonical = new Map<string, string>();
    for (const c of [...columns.required, ...columns.optional]) canonical.set(normaliseName(c), c);
    const seen = new Set<string>();
    for (const raw of names) {
      const name = canonical.get(normaliseName(raw));
      if (name && seen.has(name)) {
        this.report({
          severity: 'warning',
          file: this.fileName,
          line,
          field: name,
          message: `Column ${name} appears twice in the header; the first one is used`,
        });
        mapping.names.push(undefined);
        continue;
      }
      if (name) seen.add(name);
      mapping.names.push(name);
    }
    this.header = mapping.names;
    const missing = columns.required.filter((c) => !seen.has(c));
    if (missing.length) {
      this.reject({
        line,
        field: missing[0],
        message: `File rejected: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      });
    }
    return mapping;
  }

  private toRow(mapping: ColumnMapping, values: string[], line: number): CsvRow | undefined {
    const record: Record<string, string> = {};
    mapping.names.forEach((name, i) => {
      const v = values[i];
      if (name && v !== undefined && v !== '') record[name] = v;
    });
    // A trailing `;` on data rows only is harmless; any other difference means shifted or cut-off values.
    const extra = values.slice(mapping.width);
    if (values.length < mapping.width || extra.some((v) => v !== '')) {
      this.report({
        severity: 'error',
        file: this.fileName,
        line,
        message: `Row skipped: it has ${values.length} fields, the header has ${mapping.width}`,
        record: describeRecord(record),
      });
      return undefined;
    }
    return { line, record };
  }
}

interface ColumnMapping {
  /** Canonical name per position; undefined for an ignored column. */
  names: (string | undefined)[];
  width: number;
}

const normaliseName = (name: string) => name.trim().normalize('NFC').toLowerCase();

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

// ---- decoding -----------------------------------------------------------------------------------------

/** Windows-1252's 0x80–0x9F; the five undefined bytes are `undefined`. 0xA0–0xFF equal Latin-1. */
const CP1252_HIGH: (number | undefined)[] = [
  0x20ac,
  undefined,
  0x201a,
  0x0192,
  0x201e,
  0x2026,
  0x2020,
  0x2021,
  0x02c6,
  0x2030,
  0x0160,
  0x2039,
  0x0152,
  undefined,
  0x017d,
  undefined,
  undefined,
  0x2018,
  0x2019,
  0x201c,
  0x201d,
  0x2022,
  0x2013,
  0x2014,
  0x02dc,
  0x2122,
  0x0161,
  0x203a,
  0x0153,
  undefined,
  0x017e,
  0x0178,
];

/** Decodes Windows-1252; returns the index of the first undefined byte instead when there is one. */
function decodeCp1252(bytes: Buffer): string | number {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0; // i < bytes.length: never the fallback
    if (b < 0x80 || b >= 0xa0) out += String.fromCharCode(b);
    else {
      const cp = CP1252_HIGH[b - 0x80];
      if (cp === undefined) return i;
      out += String.fromCharCode(cp);
    }
  }
  return out;
}

interface Utf8Scan {
  /** Index of the first byte that cannot start or continue a UTF-8 sequence; -1 if none. */
  invalidAt: number;
  /** Index of the first non-ASCII byte; -1 if none. */
  firstNonAscii: number;
  /** End of the last complete sequence; bytes after it begin a sequence cut off by the chunk's end. */
  completeEnd: number;
}

/** Validates UTF-8 per RFC 3629 (no overlongs, no surrogates, nothing above U+10FFFF). */
function scanUtf8(b: Buffer): Utf8Scan {
  let firstNonAscii = -1;
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0; // i < b.length: never the fallback
    if (c < 0x80) {
      i++;
      continue;
    }
    if (firstNonAscii < 0) firstNonAscii = i;
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c === 0xe0) [len, lo] = [3, 0xa0];
    else if (c === 0xed) [len, hi] = [3, 0x9f];
    else if (c >= 0xe1 && c <= 0xef) len = 3;
    else if (c === 0xf0) [len, lo] = [4, 0x90];
    else if (c === 0xf4) [len, hi] = [4, 0x8f];
    else if (c >= 0xf1 && c <= 0xf3) len = 4;
    else return { invalidAt: i, firstNonAscii, completeEnd: i };
    for (let k = 1; k < len; k++) {
      if (i + k >= b.length) return { invalidAt: -1, firstNonAscii, completeEnd: i };
      const cc = b[i + k] ?? 0; // i + k < b.length: checked above
      if (cc < (k === 1 ? lo : 0x80) || cc > (k === 1 ? hi : 0xbf))
        return { invalidAt: i, firstNonAscii, completeEnd: i };
    }
    i += len;
  }
  return { invalidAt: -1, firstNonAscii, completeEnd: b.length };
}

type DecoderState = 'start' | 'undecided' | 'utf8' | 'cp1252' | 'rejected';

/**
 * Bytes → text, streaming. The file is UTF-8 unless its first non-ASCII byte is not valid UTF-8: then it is
 * read as Windows-1252 with a warning (specs/aarhus-los.md). The decision can be taken mid-stream without
 * rewinding because everything before that byte is ASCII, which both encodings read the same. Invalid UTF-8
 * after valid UTF-8 text (or a BOM) cannot be Windows-1252, and rejects the file. Also strips a UTF-8 BOM and
 * turns CRLF into LF (inside quoted fields too).
 */
class LosDecoder extends Transform {
  encoding: 'utf-8' | 'windows-1252' = 'utf-8';
  private state: DecoderState = 'start';
  private pending: Buffer = Buffer.alloc(0);
  private pendingCR = false;
  /** Newlines emitted so far, to name the line of an encoding error. */
  private newlines = 0;

  constructor(
    private readonly fileName: string,
    private readonly onIssue: (issue: LosIssue, reject: boolean) => void,
  ) {
    super({ decodeStrings: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.decode(this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk, false);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.decode(this.pending, true);
    if (this.pendingCR && this.state !== 'rejected') this.emitText('\n');
    this.pendingCR = false;
    done();
  }

  private decode(bytes: Buffer, final: boolean): void {
    this.pending = Buffer.alloc(0);
    if (this.state === 'rejected') return; // drain the rest unread
    if (this.state === 'start') {
      if (bytes.length < 3 && !final) {
        this.pending = bytes;
        return;
      }
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
        this.state = 'utf8'; // a BOM says UTF-8: no fallback
      } else {
        this.state = 'undecided';
      }
    }
    if (this.state === 'cp1252') return this.decodeAsCp1252(bytes);

    const scan = scanUtf8(bytes);
    if (this.state === 'undecided' && scan.firstNonAscii >= 0) {
      if (
        scan.invalidAt === scan.firstNonAscii ||
        (final && scan.invalidAt < 0 && scan.completeEnd === scan.firstNonAscii)
      ) {
        // The first non-ASCII byte is not UTF-8: Windows-1252 from here; the text before it is ASCII.
        this.state = 'cp1252';
        this.encoding = 'windows-1252';
        const line = this.newlines + countNewlines(bytes.subarray(0, scan.firstNonAscii).toString('latin1')) + 1;
        this.onIssue(
          { severity: 'warning', file: this.fileName, line, message: 'File is not valid UTF-8; read as Windows-1252' },
          false,
        );
        return this.decodeAsCp1252(bytes);
      }
      if (scan.completeEnd > scan.firstNonAscii) this.state = 'utf8';
    }
    if (scan.invalidAt >= 0 || (final && scan.completeEnd < bytes.length)) {
      const at = scan.invalidAt >= 0 ? scan.invalidAt : scan.completeEnd;
      this.emitText(bytes.subarray(0, at).toString('utf8'));
      this.rejectFile(
        `File rejected: invalid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}) after valid UTF-8 text, so it is neither UTF-8 nor Windows-1252`,
      );
      return;
    }
    this.emitText(bytes.subarray(0, scan.completeEnd).toString('utf8'));
    this.pending = bytes.subarray(scan.completeEnd);
  }

  private decodeAsCp1252(bytes: Buffer): void {
    const text = decodeCp1252(bytes);
    if (typeof text === 'number') {
      this.emitText(decodeCp1252(bytes.subarray(0, text)) as string);
      this.rejectFile(`File rejected: byte 0x${(bytes[text] ?? 0).toString(16)} is neither UTF-8 nor Windows-1252`);
      return;
    }
    this.emitText(text);
  }

  private rejectFile(message: string): void {
    this.state = 'rejected';
    this.onIssue({ severity: 'error', file: this.fileName, line: this.newlines + 1, message }, true);
  }

  private emitText(text: string): void {
    if (this.pendingCR) text = `\r${text}`;
    this.pendingCR = text.endsWith('\r');
    if (this.pendingCR) text = text.slice(0, -1);
    text = text.replace(/\r\n/g, '\n');
    if (!text) return;
    this.newlines += countNewlines(text);
    this.push(text, 'utf8');
  }
}
