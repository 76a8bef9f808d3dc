CREATE TABLE IF NOT EXISTS usage_backfill.checkpoint (
    job_instance_id BIGINT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What incremental runs have read of each file, to skip files unchanged since and go on in grown ones.
CREATE TABLE IF NOT EXISTS usage_backfill.file_ledger (
    target_table TEXT NOT NULL,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    fingerprint_bytes INT NOT NULL,
    gzip BOOLEAN NOT NULL,
    size BIGINT NOT NULL,
    modified_millis BIGINT NOT NULL,
    offset_done BIGINT NOT NULL,
    lines_done BIGINT NOT NULL,
    job_execution_id BIGINT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (target_table, path)
);
CREATE INDEX IF NOT EXISTS file_ledger_fingerprint ON usage_backfill.file_ledger (target_table, fingerprint);
