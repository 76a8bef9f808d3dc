CREATE TABLE IF NOT EXISTS usage_backfill.checkpoint (
    job_instance_id BIGINT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
