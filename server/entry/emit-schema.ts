import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printGatewaySchema } from '../schema-build';
import { printIdbroSubgraphSchema } from '../subgraph';

/**
 * `npm run schema:emit`: writes the committed artefacts from the code.
 * - schema/schema.graphql: the API clients query (no federation plumbing);
 * - schema/subgraph.graphql: the Federation 2 SDL a router composes (@link, @key), as `_service { sdl }` answers it.
 */
const dir = join(__dirname, '..', '..', '..', 'schema');
const files: [file: string, text: string][] = [
  ['schema.graphql', printGatewaySchema()],
  ['subgraph.graphql', printIdbroSubgraphSchema()],
];
for (const [file, text] of files) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote ${join(dir, file)}`);
}
