/**
 * A sync that exists only for test/sync-kinds.spec.ts: a folder whose index.ts exports its definition, exactly
 * like jobs/los-import/ and the other built-in syncs. The spec adds its row (kind TEST_ECHO) through the
 * framework's `extraKinds` option, the same way jobs/framework/kinds.ts lists the built-in ones.
 *
 * It reports progress, records one issue, writes a mark through the run's fenced store (so the kind's lease must
 * work) and echoes its `say` parameter in its message.
 */
import { SyncStateRepo } from '../../../store/sync-state.repo';
import type { SyncDefinition } from '../../../jobs/framework/types';

export const ECHO_MARK_KEY = 'test-echo:last';

export const sync: SyncDefinition = {
  kind: 'TEST_ECHO',
  async run(ctx) {
    const say = typeof ctx.params.say === 'string' ? ctx.params.say : 'nothing';
    ctx.progress(0.5, 'echoing');
    ctx.issue({ severity: 'INFO', message: `asked to say "${say}"`, field: 'say' });
    await new SyncStateRepo(ctx.store).set(ECHO_MARK_KEY, { jobId: ctx.jobId, say });
    return {
      result: { created: 1, updated: 0, unchanged: 0, terminated: 0, skipped: 0, failed: 0, details: { say } },
      message: `echo: ${say}`,
    };
  },
};
