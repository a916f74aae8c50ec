/**
 * Composition check: idbro's subgraph and the rooms-and-courses subgraph (simulators/rooms-subgraph.ts) composed
 * with @apollo/composition and served by a real @apollo/gateway over HTTP to both subgraphs on loopback.
 */
import { sampleUniversity, SAMPLE } from '../simulators/cerebrum';
import { ROOMS_SDL, startRoomsSubgraph, type RoomsSubgraph } from '../simulators/rooms-subgraph';
import { composeSupergraph, startSupergraphGateway, type SupergraphGateway } from '../server/supergraph';
import { printIdbroSubgraphSchema } from '../server/subgraph';
import { startStack, TOKENS, type Stack } from './helpers/gateway';

describe('supergraph: idbro + rooms subgraph through @apollo/gateway', () => {
  let idbro: Stack;
  let rooms: RoomsSubgraph;
  let gw: SupergraphGateway;

  async function ask(query: string, token: string | null = TOKENS.read): Promise<any> {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return res.json();
  }

  beforeAll(async () => {
    idbro = await startStack();
    rooms = await startRoomsSubgraph();
    const supergraphSdl = composeSupergraph([
      { name: 'idbro', url: `${idbro.url}/graphql`, sdl: printIdbroSubgraphSchema() },
      { name: 'rooms', url: rooms.graphqlUrl, sdl: ROOMS_SDL },
    ]);
    gw = await startSupergraphGateway({ supergraphSdl });
  });
  afterAll(async () => {
    await gw?.stop();
    await rooms?.stop();
    await idbro?.stop();
  });
  beforeEach(() => {
    idbro.sim.stats.reset();
    rooms.stats.reset();
  });

  it("composes: the supergraph has both subgraphs' fields on Person and OrganisationUnit", () => {
    const sdl = composeSupergraph([
      { name: 'idbro', url: 'http://idbro.invalid/graphql', sdl: printIdbroSubgraphSchema() },
      { name: 'rooms', url: 'http://rooms.invalid/', sdl: ROOMS_SDL },
    ]);
    expect(sdl).toMatch(
      /type Person implements Node[\s\S]*?@join__type\(graph: IDBRO, key: "id"\)[\s\S]*?@join__type\(graph: ROOMS, key: "id"\)[\s\S]*?courses: \[Course!\]! @join__field\(graph: ROOMS\)/,
    );
    expect(sdl).toMatch(/rooms: \[Room!\]! @join__field\(graph: ROOMS\)/);
  });

  it('course → teachers (idbro _entities) → affiliations → unit → rooms (back in the rooms subgraph), with the minimum Cerebrum requests', async () => {
    const logsBefore = idbro.logs.length;
    const body = await ask(`{
      course(code: "IN2010") {
        code title room { name }
        teachers { id name courses { code } affiliations { status organisationUnit { id name stedkode rooms { name capacity } } } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const course = body.data.course;
    expect(course).toMatchObject({
      code: 'IN2010',
      title: 'Algoritmer og datastrukturer',
      room: { name: 'Lille auditorium' },
    });
    const [liv, tor] = course.teachers;
    expect(tor).toMatchObject({
      id: `cerebrum:${SAMPLE.torTest}`,
      name: 'Tor Test',
      courses: [{ code: 'IN2010' }],
      affiliations: [
        {
          status: 'ANSATT/tekadm',
          organisationUnit: {
            id: `cerebrum:ou:${SAMPLE.torTestOuId}`,
            stedkode: '331000',
            rooms: [{ name: 'Kjelleren', capacity: 12 }],
          },
        },
      ],
    });
    expect(liv.courses.map((c: any) => c.code)).toEqual(['IN1000', 'IN2010']);
    const livUnits = liv.affiliations.map((a: any) => a.organisationUnit);
    expect(livUnits[0]).toMatchObject({
      id: 'cerebrum:ou:1620',
      rooms: [{ name: 'Store auditorium' }, { name: 'Lille auditorium' }],
    });

    // Minimum: each teacher and their affiliations once, each distinct unit once; nothing twice.
    const data = sampleUniversity();
    const paths = new Set<string>();
    for (const id of [101011, SAMPLE.torTest]) {
      paths.add(`GET /v1/persons/${id}`).add(`GET /v1/persons/${id}/affiliations`);
      for (const a of data.persons.get(id)!.affiliations) if (!a.deleted_date) paths.add(`GET /v1/ous/${a.ou_id}`);
    }
    expect(new Set(idbro.sim.stats.byPath.keys())).toEqual(paths);
    expect(idbro.sim.stats.total).toBe(paths.size);
    // The gateway entered idbro once (both teachers in one _entities call) and came back to rooms once, for the
    // units' rooms (the teachers' courses come with the course's own fetch from rooms).
    const idbroRequests = idbro.logs.slice(logsBefore).filter((l) => l.includes('"graphql request"'));
    expect(idbroRequests).toHaveLength(1);
    expect(rooms.stats.entityCalls).toBe(1);
  });

  it("a query starting in idbro reaches the rooms subgraph; the caller's Authorization is forwarded (no token: no data)", async () => {
    const body = await ask(
      `{ organisationUnit(id: "cerebrum:ou:${SAMPLE.torTestOuId}") { name rooms { name building } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.organisationUnit).toEqual({
      name: expect.any(String),
      rooms: [{ name: 'Kjelleren', building: 'Vilhelm Bjerknes hus' }],
    });
    idbro.sim.stats.reset();
    const denied = await ask('{ course(code: "IN2010") { teachers { name } } }', null);
    expect(denied.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(idbro.sim.stats.total).toBe(0);
  });
});
