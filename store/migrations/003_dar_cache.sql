-- Answers of the DAR address wash, kept across LOS import runs: DAWA allows 30 requests/s, so a first import of
-- ~2,000 distinct addresses costs a minute of look-ups; later runs ask only for texts not seen within the
-- cache's age limit (DAR_CACHE_DAYS). Failures (DAR unavailable) are never cached.
CREATE TABLE dar_cache (
  text       text PRIMARY KEY,
  dar_id     uuid,
  betegnelse text,
  kategori   text NOT NULL,
  reason     text,
  checked_at timestamptz NOT NULL DEFAULT now()
);
