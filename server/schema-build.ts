import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync, type PubSub } from 'type-graphql';
import { QueryResolver } from '../resolvers/query.resolver';
import { PersonResolver } from '../resolvers/person.resolver';
import { AffiliationResolver } from '../resolvers/affiliation.resolver';
import { AccountResolver } from '../resolvers/account.resolver';
import { OrganisationUnitResolver } from '../resolvers/organisation-unit.resolver';
import { FacetResolver } from '../resolvers/class.resolver';
import { SyncResolver } from '../resolvers/sync.resolver';
import { SyncKindResolver } from '../resolvers/sync-kind.resolver';
import { ManagerResolver } from '../resolvers/manager.resolver';
import { FsDecisionResolver } from '../resolvers/fs-decision.resolver';
import {
  OrganisationUnitChangeResolver,
  PersonChangeResolver,
  SubscriptionResolver,
} from '../resolvers/subscription.resolver';
import { ClassType, ItSystem } from '../schema/class.type';
import { SyncJob } from '../schema/sync-job.type';
import { Account } from '../schema/account.type';

let cached: GraphQLSchema | undefined;

const NO_PUBSUB: PubSub = {
  publish: () => {
    throw new Error('idbro has no type-graphql PubSub: subscriptions bring their own subscribe()');
  },
  subscribe: () => {
    throw new Error('idbro has no type-graphql PubSub: subscriptions bring their own subscribe()');
  },
};

/** The unified schema, built once per process from the type-graphql classes (code first). */
export function buildGatewaySchema(): GraphQLSchema {
  cached ??= buildSchemaSync({
    resolvers: [
      QueryResolver,
      PersonResolver,
      AffiliationResolver,
      AccountResolver,
      OrganisationUnitResolver,
      FacetResolver,
      ManagerResolver,
      SyncResolver,
      SyncKindResolver,
      FsDecisionResolver,
      SubscriptionResolver,
      PersonChangeResolver,
      OrganisationUnitChangeResolver,
    ],
    // Types reachable only through the Node interface must be named here to be in the schema.
    orphanedTypes: [ClassType, ItSystem, SyncJob, Account],
    validate: false,
    // type-graphql insists on a PubSub once there are subscriptions, but every one of ours brings its own
    // `subscribe` (resolvers/subscription.resolver.ts), so this one is never used.
    pubSub: NO_PUBSUB,
  });
  return cached;
}

/** The schema as committed in schema/schema.graphql: sorted, so the diff of a change is only that change. */
export function printGatewaySchema(): string {
  return `${printSchema(lexicographicSortSchema(buildGatewaySchema()))}\n`;
}
