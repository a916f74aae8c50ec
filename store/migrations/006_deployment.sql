-- This deployment's identity (issue 9 item 2, issue 10 item 1): one row, created on first start.
-- `id` scopes the BullMQ queue keys, so deployments sharing one Redis never take each other's jobs; `id_key` is
-- the secret of the keyed person ids (HMAC-SHA-256) when the ID_KEY setting is unset. Never logged, never served.
CREATE TABLE deployment (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  id         uuid NOT NULL,
  id_key     bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
