import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'The caller, as its token makes it: clients (the sync console, the idbro CLI) read it to offer only what they may do.',
})
export class Viewer {
  @Field(() => [String], { description: 'The scopes of the bearer token (read, pii, sync), sorted.' })
  scopes!: string[];
}
