import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printGatewaySchema } from './build';

/** `npm run schema:emit`: writes schema/schema.graphql from the code (the committed artifact). */
const target = join(__dirname, '..', '..', 'schema', 'schema.graphql');
writeFileSync(target, printGatewaySchema());
console.log(`wrote ${target}`);
