import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Resolver, Root, Subscription } from 'type-graphql';
import { ChangeKind, OrganisationUnitChange, PersonChange } from '../schema/change.type';
import { Person } from '../schema/person.type';
import { OrganisationUnit } from '../schema/organisation-unit.type';
import { SyncJob } from '../schema/sync-job.type';
import type { CerebrumChange, CerebrumResourceType } from '../datasources/cerebrum/events/change';
import type { SyncJob as StoredJob } from '../store/sync-jobs.repo';
import { requireScope, type Context } from './context';
import { badInput, gqlError } from '../core/errors';
import { parseGlobalId } from '../core/ids';
import { EventChannel, mapEvents } from './event-stream';
import { QueryResolver } from './query.resolver';
import { toSyncJob } from './sync.resolver';

/**
 * GraphQL subscriptions (served over graphql-ws by server/subscriptions.ts, which runs every event's payload with
 * a fresh context: new loaders, so each payload is read from the sources after the event).
 *
 * The subscribe functions below produce the event stream (what happened, to which id); the resolvers turn one
 * event into the payload. Delivery is live and at most once: nothing is replayed to a subscriber that was not
 * connected, and a subscriber far behind loses the oldest events (resolvers/event-stream.ts).
 */

/** One Cerebrum change as the person/unit subscriptions stream it. */
interface ChangeEvent {
  change: CerebrumChange;
  /** The Cerebrum entity id of the person or unit. */
  nativeId: string;
}

const query = new QueryResolver();

/** The Cerebrum entity id in a `sub`-style ref ("85073", or a URL ending in it), or undefined. */
function entityIdOf(ref: string): string | undefined {
  return /(?:^|\/)(\d+)\/?$/.exec(ref)?.[1];
}

/** The Cerebrum id a filter `id` names, checked against the kind of entity the subscription streams. */
function filterId(id: string | null | undefined, what: 'person' | 'ou', field: string): string | undefined {
  if (id == null) return undefined;
  const parsed = parseGlobalId(id);
  const ok =
    parsed.source === 'cerebrum' &&
    (parsed.type === what || (what === 'ou' && parsed.type === 'person')) &&
    /^\d+$/.test(parsed.nativeId);
  if (!ok)
    throw badInput(
      `${field}(id:) takes a Cerebrum ${what === 'person' ? 'person id ("cerebrum:<id>")' : 'unit id ("cerebrum:ou:<id>")'}, got "${id.slice(0, 100)}".`,
    );
  return parsed.nativeId;
}

/** The stream of Cerebrum changes of one resource type (optionally one entity) from this process's ChangeBus. */
function changesOf(
  ctx: Context,
  type: CerebrumResourceType,
  only: string | undefined,
  field: string,
): AsyncIterableIterator<ChangeEvent> {
  requireScope(ctx, 'read', field);
  // The source the change events are about must serve reads: every payload is read from it.
  if (!ctx.sources.modules.some((m) => m.servesChanges && ctx.sources.enabled(m.prefix)))
    throw gqlError('SOURCE_DISABLED', `${field} needs Cerebrum, which is not configured (CEREBRUM_URL is unset).`, {
      source: 'CEREBRUM',
    });
  const bus = ctx.live?.changes;
  if (!bus) {
    throw gqlError(
      'SOURCE_DISABLED',
      `${field} needs Cerebrum change events, which this process does not receive (CEREBRUM_EVENTS_URL is unset).`,
      { source: 'CEREBRUM' },
    );
  }
  let unsubscribe = () => {};
  const channel = new EventChannel<ChangeEvent>({ onClose: () => unsubscribe() });
  unsubscribe = bus.subscribe((change) => {
    if (change.resourceType !== type) return;
    const nativeId = entityIdOf(change.ref);
    if (nativeId === undefined || (only !== undefined && nativeId !== only)) return;
    channel.push({ change, nativeId });
  });
  return channel;
}

/** The `id` argument of a subscription (type-graphql hands `subscribe` the raw arguments). */
function idArg(args: unknown): string | null | undefined {
  return (args as { id?: string | null }).id;
}

function kindOf(change: CerebrumChange): ChangeKind {
  return change.kind.toUpperCase() as ChangeKind;
}

/**
 * The jobs' stream: a job's record (with live progress) read after every queue event of it, one payload per
 * visible change (a queue event that changed nothing a client sees is skipped). With `id`, the job as it is now
 * comes first, so a subscriber never has to ask syncJob(id:) as well.
 */
async function jobUpdates(ctx: Context, id: string | null | undefined): Promise<AsyncIterableIterator<StoredJob>> {
  requireScope(ctx, 'read', 'syncJobUpdated');
  const sync = ctx.sync;
  const events = ctx.live?.jobEvents;
  if (!sync || !events)
    throw gqlError('SOURCE_DISABLED', 'Sync jobs are not available in this process: it has no job queue (REDIS_URL).');
  const only = id == null ? undefined : id.replace(/^sync:/, '');
  const jobEvents = await events();
  let unsubscribe = () => {};
  const channel = new EventChannel<string>({ onClose: () => unsubscribe() });
  unsubscribe = jobEvents.subscribe((e) => {
    if (only === undefined || e.jobId === only) channel.push(e.jobId);
  });
  // Only now is every queue's stream read: an event after this point reaches the channel.
  await jobEvents.ready();
  const seen = new Map<string, string>();
  const fresh = (job: StoredJob | null): StoredJob | undefined => {
    if (!job) return undefined; // a scheduled job before a worker has recorded it
    const key = JSON.stringify([job.state, job.progress, job.message, job.attempts, job.startedAt, job.finishedAt]);
    if (seen.get(job.id) === key) return undefined;
    if (job.state === 'QUEUED' || job.state === 'RUNNING') seen.set(job.id, key);
    else seen.delete(job.id); // ended: nothing more comes, so nothing to remember
    return job;
  };
  if (only !== undefined) {
    const now = await sync.get(only);
    if (!now) {
      channel.close();
      throw badInput(`There is no sync job with id "${only.slice(0, 100)}".`);
    }
    channel.push(only); // first payload: the job as it is now
  }
  return mapEvents(channel, async (jobId) => fresh(await sync.get(jobId)));
}

@Resolver(() => PersonChange)
export class PersonChangeResolver {
  @FieldResolver(() => Person, {
    nullable: true,
    description: 'The person as Cerebrum has it now; null when it no longer exists (deleted).',
  })
  person(
    @Root() c: PersonChange & { nativeId: string },
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Person | null> {
    return query.person(`cerebrum:${c.nativeId}`, ctx, info);
  }
}

@Resolver(() => OrganisationUnitChange)
export class OrganisationUnitChangeResolver {
  @FieldResolver(() => OrganisationUnit, {
    nullable: true,
    description: 'The unit as Cerebrum has it now; null when it no longer exists (deleted).',
  })
  organisationUnit(
    @Root() c: OrganisationUnitChange & { nativeId: string },
    @Ctx() ctx: Context,
  ): Promise<OrganisationUnit | null> {
    return query.organisationUnit(`cerebrum:ou:${c.nativeId}`, ctx);
  }
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => PersonChange, {
    description:
      'Needs scope read. A payload per Cerebrum change event of a person (of this one with `id`), read from Cerebrum after ' +
      'the event. Live only, at most once: see the README (Subscriptions).',
    subscribe: ({ args, context }) =>
      changesOf(
        context as Context,
        'persons',
        filterId(idArg(args as unknown), 'person', 'personChanged'),
        'personChanged',
      ),
  })
  personChanged(
    @Root() event: ChangeEvent,
    @Arg('id', () => ID, { nullable: true, description: 'Only this person ("cerebrum:<id>").' }) id?: string | null,
  ): PersonChange {
    void id; // declared for the schema; `subscribe` applies it
    return Object.assign(new PersonChange(), {
      id: `cerebrum:${event.nativeId}`,
      nativeId: event.nativeId,
      kind: kindOf(event.change),
      attributes: event.change.attributes,
      changedAt: event.change.issuedAt,
    });
  }

  @Subscription(() => OrganisationUnitChange, {
    description:
      'Needs scope read. A payload per Cerebrum change event of an organisation unit (of this one with `id`), read from ' +
      'Cerebrum after the event. Live only, at most once: see the README (Subscriptions).',
    subscribe: ({ args, context }) =>
      changesOf(
        context as Context,
        'ous',
        filterId(idArg(args as unknown), 'ou', 'organisationUnitChanged'),
        'organisationUnitChanged',
      ),
  })
  organisationUnitChanged(
    @Root() event: ChangeEvent,
    @Arg('id', () => ID, { nullable: true, description: 'Only this unit ("cerebrum:ou:<id>").' }) id?: string | null,
  ): OrganisationUnitChange {
    void id; // declared for the schema; `subscribe` applies it
    return Object.assign(new OrganisationUnitChange(), {
      id: `cerebrum:ou:${event.nativeId}`,
      nativeId: event.nativeId,
      kind: kindOf(event.change),
      attributes: event.change.attributes,
      changedAt: event.change.issuedAt,
    });
  }

  @Subscription(() => SyncJob, {
    description:
      'Needs scope read. The job (every job without `id`) each time its state, progress, message or attempts change, as ' +
      'syncJob(id:) would answer; with `id`, its current state first. Ends for no one: unsubscribe when it is final.',
    subscribe: ({ args, context }) => jobUpdates(context as Context, idArg(args as unknown)),
  })
  syncJobUpdated(
    @Root() job: StoredJob,
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'Only this job ("sync:<id>" or the bare id).' })
    id?: string | null,
  ): SyncJob {
    void id; // declared for the schema; `subscribe` applies it
    return toSyncJob(job, ctx.scopes.has('pii'));
  }
}
