/**
 * The FS import's decisions as the store keeps them (store/fs-decisions.repo.ts), typed with the rules' decision
 * (rules/model.ts): the store knows only the columns, this binds the whole shape. The import writes them and
 * GraphQL reads them (resolvers/fs-decision.resolver.ts) through this module.
 */
import {
  FsDecisionsRepo as StoreFsDecisionsRepo,
  type FsDecisionPage as StoreFsDecisionPage,
  type StoredFsDecision as StoreStoredFsDecision,
} from '../../store/fs-decisions.repo';
import type { FsPersonDecision } from './rules/model';

export {
  fsDecisionCursor,
  type FsDecisionFilter,
  type FsRunRecord,
  type PreviousDecision,
} from '../../store/fs-decisions.repo';

/** A decision as stored: the rules' decision, what was written to Cerebrum and what is left as a plan. */
export type StoredFsDecision = StoreStoredFsDecision<FsPersonDecision>;
export type FsDecisionPage = StoreFsDecisionPage<FsPersonDecision>;

export class FsDecisionsRepo extends StoreFsDecisionsRepo<FsPersonDecision> {}
