import { Field, ID, InterfaceType } from 'type-graphql';

/**
 * Apollo Federation: every Node is an entity keyed by its global id, so another subgraph can extend it and a
 * router can fetch it back through `_entities` (resolvers/entities.ts resolves it as `node(id:)` does).
 */
export const ENTITY_KEY = '@key(fields: "id")';

@InterfaceType({ description: "Global IDs are '<source>:<native id>': 'cerebrum:85073', 'los:<OrgUUID>'." })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
