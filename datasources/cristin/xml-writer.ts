import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * A small streaming XML writer for ISO-8859-1 output (Cristin's institusjonsdata must be Latin-1: "Incredibly
 * enough, latin-1 is a requirement", generate-cristin-export.py).
 *
 * Encoding: text is escaped first, and every character outside Latin-1 (U+0100 and up: Polish, Sami,
 * Vietnamese letters, emoji …) becomes a numeric character reference `&#NNNN;` of its code point, so the
 * document stays pure Latin-1 and loses nothing; the escaped text is then turned into bytes with Node's
 * 'latin1' Buffer encoding, which maps U+0000..U+00FF one-to-one (and would silently mangle anything above,
 * which the escaping has already removed). Characters XML 1.0 forbids even as references (C0 controls other
 * than tab/CR/LF, lone surrogates, U+FFFE/U+FFFF) are dropped.
 *
 * Streaming: output collects in a string and goes to the sink in chunks of ~64 KiB; `flush()` waits for the
 * sink's 'drain' when it pushes back, so memory stays flat however big the document is. Call `flush()` between
 * records and `end()` once at the end.
 */
const CHUNK_CHARS = 64 * 1024;

/** Anything that needs escaping or a character reference (or must go). */
// eslint-disable-next-line no-control-regex -- finding the control characters XML cannot carry is the point
const NEEDS_WORK = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\u0100-\uFFFF]/;

export function escapeLatin1(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x26) out += '&amp;';
    else if (cp === 0x3c) out += '&lt;';
    else if (cp === 0x3e) out += '&gt;';
    else if (cp === 0x22) out += '&quot;';
    else if (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) continue;
    else if (cp <= 0xff) out += ch;
    else if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff)
      continue; // not XML characters
    else out += `&#${cp};`;
  }
  return out;
}

export type Attributes = Record<string, string | number | null | undefined>;

export class Latin1XmlWriter {
  private buffer = '';
  private depth = 0;
  private ended = false;
  /** Bytes handed to the sink so far. */
  bytes = 0;

  constructor(
    private readonly sink: Writable,
    private readonly indent = ' ',
  ) {}

  /** `<?xml version="1.0" encoding="ISO-8859-1"?>`: call first. */
  declaration(): void {
    this.buffer += '<?xml version="1.0" encoding="ISO-8859-1"?>\n';
  }

  /** A start tag on its own line; attributes with a null/undefined/empty value are left out. */
  open(name: string, attributes: Attributes = {}): void {
    this.buffer += `${this.pad()}<${name}${attrs(attributes)}>\n`;
    this.depth++;
  }

  close(name: string): void {
    this.depth--;
    this.buffer += `${this.pad()}</${name}>\n`;
  }

  /**
   * `<name>value</name>` on one line. An empty element is left out (specs/cristin-export.md: "empty elements are
   * omitted"): null, undefined and strings that are empty after trimming write nothing.
   */
  element(name: string, value: string | number | null | undefined): void {
    if (value === null || value === undefined) return;
    const text = String(value).trim();
    if (text === '') return;
    this.buffer += `${this.pad()}<${name}>${escapeLatin1(text)}</${name}>\n`;
  }

  /** Hands buffered output to the sink once there is a chunk's worth, waiting while the sink is full. */
  async flush(force = false): Promise<void> {
    if (this.buffer.length === 0 || (!force && this.buffer.length < CHUNK_CHARS)) return;
    const chunk = Buffer.from(this.buffer, 'latin1');
    this.buffer = '';
    this.bytes += chunk.length;
    if (!this.sink.write(chunk)) await once(this.sink, 'drain');
  }

  /** Writes what is left and ends the sink; resolves once the sink has flushed everything ('finish'). */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.depth !== 0) throw new Error(`XML writer ended with ${this.depth} element(s) still open`);
    await this.flush(true);
    const finished = once(this.sink, 'finish');
    this.sink.end();
    await finished;
  }

  private pad(): string {
    return this.indent.repeat(this.depth);
  }
}

function attrs(attributes: Attributes): string {
  let out = '';
  for (const [k, v] of Object.entries(attributes)) {
    if (v === null || v === undefined || String(v) === '') continue;
    out += ` ${k}="${escapeLatin1(String(v))}"`;
  }
  return out;
}
