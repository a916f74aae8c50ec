import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: "Global IDs are '<source>:<native id>': 'cerebrum:85073', 'los:<OrgUUID>'." })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
