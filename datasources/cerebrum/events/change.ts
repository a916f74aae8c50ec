/**
 * A Cerebrum change notice as idbro uses it, parsed from one SCIM event message (../shared/specs/cerebrum-events.md;
 * seed 002). It says WHAT changed, never the new values: a subscriber re-reads the resource from Cerebrum REST.
 * The consumer (AMQP) produces these; the cache, the incremental Cristin export and the GraphQL subscriptions consume
 * them through a ChangeBus, so none of them knows about AMQP.
 */
import { EventEmitter } from 'node:events';

export type CerebrumResourceType = 'persons' | 'accounts' | 'groups' | 'ous' | 'entities';
export type CerebrumEventKind =
  'create' | 'modify' | 'delete' | 'add' | 'remove' | 'activate' | 'deactivate' | 'password';

export interface CerebrumChange {
  /** The message's unique id (delivery is at least once: de-duplicate on it). */
  jti: string;
  kind: CerebrumEventKind;
  resourceType: CerebrumResourceType;
  /** The subject from `sub`: entity id for persons and OUs, name for accounts and groups. */
  ref: string;
  /** Names of changed attributes, when the message lists them (may be empty). */
  attributes: string[];
  /** `sub`-style URLs of other resources the event involves (e.g. a group membership's member). */
  objects: string[];
  issuedAt: Date;
  /** Not before: a scheduled change, not to be acted on before this moment. */
  notBefore?: Date;
}

/** In-process fan-out of change notices. */
export class ChangeBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(change: CerebrumChange): void {
    this.emitter.emit('change', change);
  }

  /** Calls listener for every published change; returns the unsubscribe function. */
  subscribe(listener: (change: CerebrumChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
