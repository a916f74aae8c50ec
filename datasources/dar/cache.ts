import type { Queryable } from '../../store/db';
import type { DarLookup, DarResult } from './client';

/**
 * DAR answers remembered in the store (table dar_cache) across import runs. `load` reads the entries younger
 * than `maxAgeDays` once; `wash` answers from them or asks the inner look-up; `save` writes the new answers,
 * inside the import's transaction so a dry run or a failed run leaves the cache as it was.
 * "DAR unavailable" answers are not kept: the next run asks again.
 */
/** A row of dar_cache as `load` reads it (dar_id cast to text). */
interface DarCacheRow {
  text: string;
  dar_id: string | null;
  betegnelse: string | null;
  kategori: string;
  reason: string | null;
}

export class CachedDarLookup implements DarLookup {
  private readonly known = new Map<string, DarResult>();
  private readonly fresh = new Map<string, DarResult>();
  hits = 0;

  constructor(
    private readonly inner: DarLookup,
    private readonly maxAgeDays: number,
  ) {}

  async load(q: Queryable): Promise<void> {
    const { rows } = await q.query<DarCacheRow>(
      `SELECT text, dar_id::text AS dar_id, betegnelse, kategori, reason FROM dar_cache
        WHERE checked_at > now() - make_interval(days => $1::int)`,
      [this.maxAgeDays],
    );
    for (const r of rows) {
      this.known.set(
        r.text,
        r.dar_id && (r.kategori === 'A' || r.kategori === 'B')
          ? { ok: true, id: r.dar_id, betegnelse: r.betegnelse ?? r.text, kategori: r.kategori }
          : { ok: false, reason: r.reason ?? `kategori ${r.kategori}: no safe match` },
      );
    }
  }

  async wash(text: string, signal?: AbortSignal): Promise<DarResult> {
    const cached = this.known.get(text) ?? this.fresh.get(text);
    if (cached) {
      this.hits++;
      return cached;
    }
    const result = await this.inner.wash(text, signal);
    if (result.ok || !/unavailable|refused|closed/i.test(result.reason)) this.fresh.set(text, result);
    return result;
  }

  async save(q: Queryable): Promise<number> {
    const entries = [...this.fresh.entries()];
    for (let i = 0; i < entries.length; i += 500) {
      const part = entries.slice(i, i + 500);
      const params: unknown[] = [];
      const values = part.map(([text, r], j) => {
        params.push(
          text,
          r.ok ? r.id : null,
          r.ok ? r.betegnelse : null,
          r.ok ? r.kategori : 'C',
          r.ok ? null : r.reason,
        );
        return `($${j * 5 + 1}, $${j * 5 + 2}::uuid, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5}, now())`;
      });
      await q.query(
        `INSERT INTO dar_cache (text, dar_id, betegnelse, kategori, reason, checked_at) VALUES ${values.join(', ')}
         ON CONFLICT (text) DO UPDATE SET dar_id = EXCLUDED.dar_id, betegnelse = EXCLUDED.betegnelse,
           kategori = EXCLUDED.kategori, reason = EXCLUDED.reason, checked_at = EXCLUDED.checked_at`,
        params,
      );
    }
    return entries.length;
  }
}
