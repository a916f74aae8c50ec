/**
 * A second, small Apollo Federation 2 subgraph ("rooms and courses") to compose with idbro: in tests, in the
 * federation bench and in `npm run start:supergraph`. It extends idbro's `Person` (courses taught) and
 * `OrganisationUnit` (rooms) through `@key(fields: "id")` and references them from its own types, so a query can
 * start here, enter idbro through `_entities` and come back. Built with @apollo/subgraph, served by Apollo Server
 * on loopback; counts the `_entities` calls it answers. Its data names Cerebrum sample-university ids.
 */
import { parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';

export interface Room {
  id: string;
  name: string;
  building: string;
  capacity: number;
  unitId: string;
}
export interface Course {
  code: string;
  title: string;
  unitId: string;
  roomId: string;
  teacherIds: string[];
}
export interface RoomsData {
  rooms: Room[];
  courses: Course[];
}

/** Courses and rooms at units of the Cerebrum sample university (simulators/data/cerebrum-sample.ts). */
export function sampleRooms(): RoomsData {
  return {
    rooms: [
      {
        id: 'room:oj-store-aud',
        name: 'Store auditorium',
        building: 'Ole-Johan Dahls hus',
        capacity: 300,
        unitId: 'cerebrum:ou:1620',
      },
      {
        id: 'room:oj-lille-aud',
        name: 'Lille auditorium',
        building: 'Ole-Johan Dahls hus',
        capacity: 120,
        unitId: 'cerebrum:ou:1620',
      },
      {
        id: 'room:nt-seminar-7',
        name: 'Seminarrom 7',
        building: 'Niels Treschows hus',
        capacity: 30,
        unitId: 'cerebrum:ou:1520',
      },
      {
        id: 'room:usit-kjeller',
        name: 'Kjelleren',
        building: 'Vilhelm Bjerknes hus',
        capacity: 12,
        unitId: 'cerebrum:ou:2926742',
      },
    ],
    courses: [
      {
        code: 'IN1000',
        title: 'Introduksjon til objektorientert programmering',
        unitId: 'cerebrum:ou:1620',
        roomId: 'room:oj-store-aud',
        teacherIds: ['cerebrum:101011'],
      },
      {
        code: 'IN2010',
        title: 'Algoritmer og datastrukturer',
        unitId: 'cerebrum:ou:1620',
        roomId: 'room:oj-lille-aud',
        teacherIds: ['cerebrum:101011', 'cerebrum:85073'],
      },
      {
        code: 'NOR1101',
        title: 'Norsk språkhistorie',
        unitId: 'cerebrum:ou:1520',
        roomId: 'room:nt-seminar-7',
        teacherIds: ['cerebrum:101002'],
      },
    ],
  };
}

export const ROOMS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Query {
  courses: [Course!]!
  course(code: ID!): Course
  rooms: [Room!]!
}

type Course @key(fields: "code") {
  code: ID!
  title: String!
  room: Room
  "The unit that teaches the course: an idbro OrganisationUnit."
  organisationUnit: OrganisationUnit
  "idbro Persons."
  teachers: [Person!]!
}

type Room @key(fields: "id") {
  id: ID!
  name: String!
  building: String!
  capacity: Int!
  organisationUnit: OrganisationUnit
}

"idbro's Person, extended with the courses this person teaches."
type Person @key(fields: "id") {
  id: ID!
  courses: [Course!]!
}

"idbro's OrganisationUnit, extended with its rooms."
type OrganisationUnit @key(fields: "id") {
  id: ID!
  rooms: [Room!]!
}
`;

export interface RoomsSubgraph {
  url: string;
  graphqlUrl: string;
  data: RoomsData;
  /** Representations this subgraph resolved through `_entities` (reset with `reset()`). */
  stats: { entityCalls: number; representations: number; reset(): void };
  stop(): Promise<void>;
}

export async function startRoomsSubgraph(
  opts: { port?: number; host?: string; data?: RoomsData } = {},
): Promise<RoomsSubgraph> {
  const data = opts.data ?? sampleRooms();
  const ref = (id: string) => ({ id });
  const resolvers = {
    Query: {
      courses: () => data.courses,
      course: (_: unknown, { code }: { code: string }) => data.courses.find((c) => c.code === code) ?? null,
      rooms: () => data.rooms,
    },
    Course: {
      __resolveReference: ({ code }: { code: string }) => data.courses.find((c) => c.code === code) ?? null,
      room: (c: Course) => data.rooms.find((r) => r.id === c.roomId) ?? null,
      organisationUnit: (c: Course) => ref(c.unitId),
      teachers: (c: Course) => c.teacherIds.map(ref),
    },
    Room: {
      __resolveReference: ({ id }: { id: string }) => data.rooms.find((r) => r.id === id) ?? null,
      organisationUnit: (r: Room) => ref(r.unitId),
    },
    Person: { courses: ({ id }: { id: string }) => data.courses.filter((c) => c.teacherIds.includes(id)) },
    OrganisationUnit: { rooms: ({ id }: { id: string }) => data.rooms.filter((r) => r.unitId === id) },
  };
  const stats = {
    entityCalls: 0,
    representations: 0,
    reset() {
      stats.entityCalls = 0;
      stats.representations = 0;
    },
  };
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(ROOMS_SDL), resolvers }),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      {
        requestDidStart: () =>
          Promise.resolve({
            didResolveOperation: ({ request }) => {
              const reps: unknown = request.variables?.representations;
              if (Array.isArray(reps)) {
                stats.entityCalls++;
                stats.representations += reps.length;
              }
              return Promise.resolve();
            },
          }),
      },
    ],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' },
  });
  const base = url.replace(/\/$/, '');
  return {
    url: base,
    graphqlUrl: `${base}/`,
    data,
    stats,
    stop: () => server.stop(),
  };
}
