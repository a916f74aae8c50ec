import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ClassType, Facet } from '../schema/class.type';
import type { Context } from './context';
import { classReaders } from './query.resolver';

@Resolver(() => Facet)
export class FacetResolver {
  @FieldResolver(() => [ClassType], {
    description: 'The classes of this facet by title; unpublished ones only with includeUnpublished.',
  })
  async classes(
    @Root() f: Facet,
    @Ctx() ctx: Context,
    @Arg('includeUnpublished', () => Boolean, { nullable: true, defaultValue: false }) includeUnpublished = false,
  ): Promise<ClassType[]> {
    if (f.classesList) return f.classesList.filter((c) => includeUnpublished || c.published !== false);
    // Every facet in one answer shares one query (classesByFacet loader).
    const lists = await Promise.all(
      classReaders(ctx).map(async (r) => (await r.classes?.(f.userKey, includeUnpublished ?? false)) ?? []),
    );
    return lists.flat();
  }
}
