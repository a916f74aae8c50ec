/**
 * Where the WS10 schema files are (./schema: uploadfull.xsd, uploaddelete.xsd, ws10.wsdl). The TypeScript build
 * does not copy them into dist/, so from dist/ they are found in the source tree beside package.json (as the store
 * finds its SQL migrations).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DocumentSchema } from './document';

export function schemaDir(from: string = __dirname): string {
  const beside = join(from, 'schema');
  if (existsSync(join(beside, 'uploadfull.xsd'))) return beside;
  for (let dir = from; ;) {
    if (existsSync(join(dir, 'package.json'))) {
      const candidate = join(dir, 'datasources', 'unilogin', 'schema');
      if (existsSync(join(candidate, 'uploadfull.xsd'))) return candidate;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `Cannot find the UNI-Login schema files (datasources/unilogin/schema/*.xsd, ws10.wsdl) from ${from}: ` +
      'deploy that folder together with dist/ and package.json.',
  );
}

/** The bundled WSDL (what the client reads unless UNILOGIN_WSDL names another). */
export function bundledWsdlPath(): string {
  return join(schemaDir(), 'ws10.wsdl');
}

const cache = new Map<string, string>();

/** The text of uploadfull.xsd or uploaddelete.xsd (GetXmlSchema's names, without the extension). */
export function schemaText(schema: DocumentSchema): string {
  let text = cache.get(schema);
  if (text === undefined) {
    text = readFileSync(join(schemaDir(), `${schema}.xsd`), 'utf8');
    cache.set(schema, text);
  }
  return text;
}
