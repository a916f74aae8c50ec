-- The sync kinds are listed once, in jobs/framework/kinds.ts; the store keeps no copy of that list. The CHECKs
-- of 001 and 008 named the four kinds of their day, so each new sync would have needed a migration (and a test
-- sync one that no deployment has). They become checks of the name's shape: upper snake case, as the GraphQL
-- enum SyncKind spells the kinds. Which names are kinds is the job framework's rule (its start refuses any
-- other), applied before anything is written here.
ALTER TABLE sync_jobs DROP CONSTRAINT sync_jobs_kind_check;
ALTER TABLE sync_jobs ADD CONSTRAINT sync_jobs_kind_check CHECK (kind ~ '^[A-Z][A-Z0-9_]{0,62}$');

ALTER TABLE sync_leases DROP CONSTRAINT sync_leases_kind_check;
ALTER TABLE sync_leases ADD CONSTRAINT sync_leases_kind_check CHECK (kind ~ '^[A-Z][A-Z0-9_]{0,62}$');
-- The lease rows of the built-in kinds stay (008 inserted them); SyncLeasesRepo.acquire adds the row of a kind
-- that has none the first time a run of it takes its lease.
