import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isEnumType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { buildGatewaySchema, printGatewaySchema } from '../server/schema-build';
import { buildIdbroSubgraphSchema, printIdbroSubgraphSchema } from '../server/subgraph';

const root = join(__dirname, '..');

describe('schema artifact', () => {
  it('schema/schema.graphql matches the schema built from code (run `npm run schema:emit` after an API change)', () => {
    const committed = readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8');
    expect(printGatewaySchema()).toBe(committed);
  });

  it('schema/subgraph.graphql (the Federation 2 SDL) matches the code (run `npm run schema:emit` after an API change)', () => {
    const committed = readFileSync(join(root, 'schema', 'subgraph.graphql'), 'utf8');
    expect(printIdbroSubgraphSchema()).toBe(committed);
  });

  /**
   * schema.graphql is the API clients query; /graphql serves it as a Federation 2 subgraph. That schema is
   * schema.graphql plus the federation plumbing only: every type and field of schema.graphql is served unchanged.
   */
  it('the served subgraph schema is schema.graphql plus only the federation additions', () => {
    const api = buildSchema(readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8'));
    const served = buildIdbroSubgraphSchema();
    const names = (sc: GraphQLSchema) => Object.keys(sc.getTypeMap()).filter((n) => !n.startsWith('__'));
    const added = names(served)
      .filter((n) => !api.getType(n))
      .sort();
    expect(added).toEqual(['_Any', '_Entity', '_Service', 'federation__FieldSet', 'link__Import', 'link__Purpose']);
    const addedFields = Object.keys(served.getQueryType()!.getFields())
      .filter((f) => !api.getQueryType()!.getFields()[f])
      .sort();
    expect(addedFields).toEqual(['_entities', '_service']);
    for (const name of names(api)) {
      const a = api.getType(name)!;
      const m = served.getType(name)!;
      expect(`${name}: ${m.constructor.name}`).toBe(`${name}: ${a.constructor.name}`);
      if ((isObjectType(a) || isInterfaceType(a)) && (isObjectType(m) || isInterfaceType(m))) {
        const fields = (t: typeof a) =>
          Object.values(t.getFields()).map(
            (f) => `${f.name}(${f.args.map((x) => `${x.name}: ${String(x.type)}`).join(', ')}): ${String(f.type)}`,
          );
        expect(fields(m).filter((f) => !f.startsWith('_'))).toEqual(fields(a));
      }
    }
  });
});

/**
 * schema/contract.graphql is a copy of the design's public contract: names are fixed, additions are free.
 * Every type, field, argument and enum value in it must exist here with the same type.
 */
describe('public contract', () => {
  const contract = buildSchema(readFileSync(join(root, 'schema', 'contract.graphql'), 'utf8'));
  const ours: GraphQLSchema = buildGatewaySchema();
  const served: GraphQLSchema = buildIdbroSubgraphSchema();
  const named = Object.values(contract.getTypeMap()).filter((t) => !t.name.startsWith('__'));

  it.each(
    named.flatMap(
      (t) =>
        [
          ['built', t.name, t],
          ['served', t.name, t],
        ] as [string, string, GraphQLNamedType][],
    ),
  )('%s: type %s is kept', (which, name, type) => {
    const mine = (which === 'built' ? ours : served).getType(name);
    expect(mine?.constructor.name).toBe(type.constructor.name);
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(mine) || isInterfaceType(mine))) {
      for (const field of Object.values(type.getFields())) {
        const m = mine.getFields()[field.name];
        expect(`${name}.${field.name}: ${String(m?.type)}`).toBe(`${name}.${field.name}: ${String(field.type)}`);
        for (const arg of field.args) {
          const ma = m?.args.find((a) => a.name === arg.name);
          expect(`${name}.${field.name}(${arg.name}: ${String(ma?.type)} = ${JSON.stringify(ma?.defaultValue)})`).toBe(
            `${name}.${field.name}(${arg.name}: ${String(arg.type)} = ${JSON.stringify(arg.defaultValue)})`,
          );
        }
      }
      if (isObjectType(type) && isObjectType(mine)) {
        expect(mine.getInterfaces().map((i) => i.name)).toEqual(
          expect.arrayContaining(type.getInterfaces().map((i) => i.name)),
        );
      }
    }
    if (isInputObjectType(type) && isInputObjectType(mine)) {
      for (const field of Object.values(type.getFields())) {
        expect(`${name}.${field.name}: ${String(mine.getFields()[field.name]?.type)}`).toBe(
          `${name}.${field.name}: ${String(field.type)}`,
        );
      }
    }
    if (isEnumType(type) && isEnumType(mine)) {
      expect(mine.getValues().map((v) => v.name)).toEqual(expect.arrayContaining(type.getValues().map((v) => v.name)));
    }
  });
});
