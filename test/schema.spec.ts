import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema, isInputObjectType, isInterfaceType, isObjectType, isEnumType, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';
import { buildGatewaySchema, printGatewaySchema } from '../schema/build';

const root = join(__dirname, '..');

describe('schema artifact', () => {
  it('schema/schema.graphql matches the schema built from code (run `npm run schema:emit` after an API change)', () => {
    const committed = readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8');
    expect(printGatewaySchema()).toBe(committed);
  });
});

/**
 * schema/contract.graphql is a copy of the design's public contract: names are fixed, additions are free.
 * Every type, field, argument and enum value in it must exist here with the same type.
 */
describe('public contract', () => {
  const contract = buildSchema(readFileSync(join(root, 'schema', 'contract.graphql'), 'utf8'));
  const ours: GraphQLSchema = buildGatewaySchema();
  const named = Object.values(contract.getTypeMap()).filter((t) => !t.name.startsWith('__'));

  it.each(named.map((t) => [t.name, t] as [string, GraphQLNamedType]))('type %s is kept', (name, type) => {
    const mine = ours.getType(name);
    expect(mine?.constructor.name).toBe(type.constructor.name);
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(mine) || isInterfaceType(mine))) {
      for (const field of Object.values(type.getFields())) {
        const m = mine.getFields()[field.name];
        expect(`${name}.${field.name}: ${m?.type}`).toBe(`${name}.${field.name}: ${field.type}`);
        for (const arg of field.args) {
          const ma = m.args.find((a) => a.name === arg.name);
          expect(`${name}.${field.name}(${arg.name}: ${ma?.type} = ${JSON.stringify(ma?.defaultValue)})`).toBe(
            `${name}.${field.name}(${arg.name}: ${arg.type} = ${JSON.stringify(arg.defaultValue)})`,
          );
        }
      }
      if (isObjectType(type) && isObjectType(mine)) {
        expect(mine.getInterfaces().map((i) => i.name)).toEqual(expect.arrayContaining(type.getInterfaces().map((i) => i.name)));
      }
    }
    if (isInputObjectType(type) && isInputObjectType(mine)) {
      for (const field of Object.values(type.getFields())) {
        expect(`${name}.${field.name}: ${mine.getFields()[field.name]?.type}`).toBe(`${name}.${field.name}: ${field.type}`);
      }
    }
    if (isEnumType(type) && isEnumType(mine)) {
      expect(mine.getValues().map((v) => v.name)).toEqual(expect.arrayContaining(type.getValues().map((v) => v.name)));
    }
  });
});
