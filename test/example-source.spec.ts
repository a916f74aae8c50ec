/**
 * A source as a plug-in: a read-only HTTP source defined outside the code base (test/fixtures/example-source/:
 * its SourceModule and a node:http simulator), registered the way datasources/index.ts lists the built-in ones,
 * and read through GraphQL by its global id `example:42`.
 *
 * Files the example needed: 3 — fixtures/example-source/module.ts (the SourceModule), fixtures/example-source/
 * simulator.ts (the external system) and this spec (the one-line registration, `[...defaultSources, module]`).
 * No resolver, schema or server file changed.
 */
import 'reflect-metadata';
import { defaultSources } from '../datasources/index';
import { startStack, type Stack } from './helpers/gateway';
import { exampleSource } from './fixtures/example-source/module';
import { startExampleSimulator } from './fixtures/example-source/simulator';

describe('a plug-in source', () => {
  let sim: Awaited<ReturnType<typeof startExampleSimulator>>;
  let s: Stack;
  let disabled: Stack;

  beforeAll(async () => {
    sim = await startExampleSimulator();
    s = await startStack({ gateway: { sources: [...defaultSources, exampleSource(sim.url)] } });
    disabled = await startStack({ gateway: { sources: [...defaultSources, exampleSource(undefined)] } });
  });
  afterAll(async () => {
    await s?.stop();
    await disabled?.stop();
    await sim?.stop();
  });

  it('answers person(id: "example:42") and node(id:) from its reader', async () => {
    const { body } = await s.gql(`{
      person(id: "example:42") { id name contacts { type value } accounts { name } affiliations { kind } sameAs { id } }
      node(id: "example:42") { id ... on Person { name } }
      missing: person(id: "example:7") { id }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      person: {
        id: 'example:42',
        name: 'Ada Example',
        contacts: [{ type: 'EMAIL', value: 'ada@example.org' }],
        // What the source has no reader method for is empty, as for a built-in source without it.
        accounts: [],
        affiliations: [],
        sameAs: [],
      },
      node: { id: 'example:42', name: 'Ada Example' },
      missing: null,
    });
    // One GET per distinct person in the request (the loader), not one per field.
    expect(sim.requests.filter((r) => r === '/persons/42')).toHaveLength(1);
  });

  it('keeps the built-in sources answering beside it', async () => {
    const { body } = await s.gql('{ person(id: "cerebrum:85073") { name } }');
    expect(body.data.person.name).toBe('Tor Test');
  });

  it('adds its readiness check after the built-in ones', async () => {
    const res = await fetch(`${s.url}/readyz`);
    const body = (await res.json()) as { checks: { name: string; ok: boolean }[] };
    expect(body.checks.map((c) => [c.name, c.ok])).toEqual([
      ['cerebrum', true],
      ['example', true],
    ]);
  });

  it('without its settings, answers null with a SOURCE_DISABLED warning naming its setting', async () => {
    const { body } = await disabled.gql('{ person(id: "example:42") { id } }');
    expect(body.data.person).toBeNull();
    expect(body.extensions.warnings).toEqual([
      {
        code: 'SOURCE_DISABLED',
        source: 'EXAMPLE',
        message: 'EXAMPLE is not configured (EXAMPLE_URL is unset): its fields resolve to null or [].',
      },
    ]);
  });
});
