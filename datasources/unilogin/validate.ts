/**
 * XSD validation of an import document with xmllint (xmllint-wasm: libxml2 compiled to WebAssembly, run in a
 * worker thread; no native code). One validator start costs ~50 ms, so a document is validated whole, once, and a
 * failing line is traced back to its person (DocumentWriter.personAtLine).
 */
import { readFile } from 'node:fs/promises';
import { validateXML } from 'xmllint-wasm';
import type { DocumentSchema } from './document';
import { schemaText } from './schema-files';

export interface XsdError {
  /** Line in the document; null when xmllint named none (a problem with the file as a whole). */
  line: number | null;
  message: string;
}

export interface XsdResult {
  valid: boolean;
  errors: XsdError[];
}

const PAGE = 64 * 1024;
const MAX_PAGES = 65536; // 4 GiB, WebAssembly's limit

/**
 * Validates `document` (a path, or the XML itself) against the named schema. The validator's memory is sized
 * from the document (it holds a copy of it, plus the streaming reader's working set).
 */
export async function validateDocument(
  document: { path: string } | { xml: string | Buffer },
  schema: DocumentSchema,
  /** The schema's text, instead of ours (the simulator, playing a service whose schema changed). */
  xsd: string = schemaText(schema),
): Promise<XsdResult> {
  const contents =
    'path' in document
      ? await readFile(document.path)
      : typeof document.xml === 'string'
        ? Buffer.from(document.xml)
        : document.xml;
  const pages = Math.min(MAX_PAGES, Math.max(512, Math.ceil((contents.length * 2 + 64 * 1024 * 1024) / PAGE)));
  const fileName = 'document.xml';
  const options = {
    xml: [{ fileName, contents: new Uint8Array(contents.buffer, contents.byteOffset, contents.length) }],
    schema: [{ fileName: `${schema}.xsd`, contents: xsd }],
    initialMemoryPages: Math.min(pages, 2048),
    maxMemoryPages: pages,
  };
  let result: Awaited<ReturnType<typeof validateXML>>;
  try {
    // The reader API: validates as it reads, without building the document's tree.
    result = await validateXML({ ...options, stream: true });
  } catch (e) {
    // Not well-formed: the streaming reader says only "failed to parse"; the tree parser names line and cause.
    if ((e as { code?: number }).code !== 1) throw e;
    result = await validateXML(options);
    if (result.valid) return { valid: false, errors: [{ line: null, message: 'the document is not well-formed XML' }] };
  }
  const errors = result.errors
    .filter((e) => e.loc)
    .map((e) => ({
      line: e.loc && e.loc.fileName === fileName && Number.isFinite(e.loc.lineNumber) ? e.loc.lineNumber : null,
      message: e.message.replace(/^Schemas validity error\s*:\s*/, '').trim(),
    }));
  if (!result.valid && errors.length === 0) errors.push({ line: null, message: result.rawOutput.trim().slice(0, 500) });
  return { valid: result.valid, errors };
}
