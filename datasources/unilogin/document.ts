/**
 * Writes an import document (uploadfull.xsd or uploaddelete.xsd) to a file as it is built, record by record:
 * an institution can have tens of thousands of persons, so the document is never held whole in memory. The
 * writer remembers on which line each person starts, so that a validator's "line N" names the person.
 *
 * No XML declaration: the document travels inside the SOAP request's <xml> element (where a declaration is not
 * allowed), and without one its line 1 is the same in the file and in the request. UTF-8 is XML's default.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../../core/private-files';
import { once } from 'node:events';
import { escapeXml } from './record';

export type DocumentSchema = 'uploadfull' | 'uploaddelete';

export interface DocumentHeader {
  /** YYYY-MM-DDThh:mm:ss, local time; strictly later than the last document sent (see ./export-time.ts). */
  exportDateTime: string;
  source: string;
  institution: string;
  /** Information only ("Kun information. Gemmes ikke i UNI-Login"). */
  sourceVersion?: string;
}

export interface WrittenDocument {
  path: string;
  schema: DocumentSchema;
  bytes: number;
  lines: number;
  persons: number;
  groups: number;
}

export class DocumentWriter {
  private readonly out: WriteStream;
  private bytes = 0;
  /** The line the next write starts on (1-based). */
  private line = 1;
  private persons = 0;
  private groups = 0;
  /** Start line of each person, ascending, and its key: for personAtLine(). */
  private readonly starts: number[] = [];
  private readonly keys: string[] = [];
  private failure: Error | undefined;
  /** The first line after the last person (where the groups begin); set by endPersons(). */
  private personsEnd = Number.POSITIVE_INFINITY;

  private constructor(
    readonly path: string,
    readonly schema: DocumentSchema,
  ) {
    // 0600: the document holds CPR numbers (../private-files.ts).
    this.out = createWriteStream(path, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
    this.out.on('error', (e) => {
      this.failure = e;
    });
  }

  static async open(path: string, schema: DocumentSchema, header: DocumentHeader): Promise<DocumentWriter> {
    const w = new DocumentWriter(path, schema);
    const version = header.sourceVersion ? ` sourceversion="${escapeXml(header.sourceVersion)}"` : '';
    await w.write(
      `<UNILoginImport exportdatetime="${escapeXml(header.exportDateTime)}" source="${escapeXml(header.source)}"${version}>\n` +
        '  <Institution>\n' +
        `    <InstitutionNumber>${escapeXml(header.institution)}</InstitutionNumber>\n`,
    );
    return w;
  }

  /** Appends one `<InstitutionPerson>` (as record.ts renders it) and remembers that `key` starts here. */
  async person(xml: string, key: string): Promise<void> {
    this.starts.push(this.line);
    this.keys.push(key);
    this.persons++;
    await this.write(xml);
  }

  /** Appends one `<Group>`; groups come after every person (the schema's order). */
  async group(xml: string): Promise<void> {
    this.groups++;
    await this.write(xml);
  }

  async close(): Promise<WrittenDocument> {
    await this.write('  </Institution>\n</UNILoginImport>\n');
    this.out.end();
    await once(this.out, 'finish');
    if (this.failure) throw this.failure;
    return {
      path: this.path,
      schema: this.schema,
      bytes: this.bytes,
      lines: this.line - 1,
      persons: this.persons,
      groups: this.groups,
    };
  }

  /** Stops writing (after an error or a cancel); the caller removes the file. */
  abort(): void {
    this.out.destroy();
  }

  /** The key of the person whose lines include `line`, if it is a person's line. */
  personAtLine(line: number): string | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] ?? Infinity) <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    // A line after the last person (groups, closing tags) belongs to no person.
    const end = this.starts[found + 1] ?? this.personsEnd;
    return line < end ? this.keys[found] : undefined;
  }

  /** Marks the end of the persons; personAtLine() answers no person from here on. */
  endPersons(): void {
    this.personsEnd = this.line;
  }

  private async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.bytes += Buffer.byteLength(text);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.line++;
    // Respect back-pressure: a slow disk must not make the whole document pile up in the stream's buffer.
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}
