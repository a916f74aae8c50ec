import { FieldResolver, Resolver, Root } from 'type-graphql';
import { ClassType, Facet } from '../schema/class.type';

@Resolver(() => Facet)
export class FacetResolver {
  @FieldResolver(() => [ClassType])
  classes(@Root() f: Facet): ClassType[] {
    return f.classesList ?? [];
  }
}
