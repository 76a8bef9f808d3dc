-- Each partition's checkpoint of a run (one partition without --threads), saved in its chunks' transactions.
CREATE TABLE IF NOT EXISTS usage_backfill.partition_checkpoint (
    job_instance_id BIGINT NOT NULL,
    partition_no INT NOT NULL,
    state TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_instance_id, partition_no)
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

-- Every rejected line, also kept in the rejects file: written in the chunk's transaction, so exactly once.
CREATE TABLE IF NOT EXISTS usage_backfill.rejected_line (
    job_instance_id BIGINT NOT NULL,
    job_execution_id BIGINT NOT NULL,
    file TEXT NOT NULL,
    line BIGINT NOT NULL,
    reason TEXT NOT NULL,
    reason_kind TEXT NOT NULL,
    raw BYTEA NOT NULL,
    raw_text TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rejected_line_run ON usage_backfill.rejected_line (job_instance_id, reason_kind);

-- Ids a dry run would insert, so an event seen twice in one dry run (a rotated copy) is planned once; emptied when
-- the dry run ends.
CREATE TABLE IF NOT EXISTS usage_backfill.dry_run_id (
    job_instance_id BIGINT NOT NULL,
    id UUID NOT NULL,
    PRIMARY KEY (job_instance_id, id)
);

-- The hash of the bytes just before offset_done (a file rewritten with the same head is not taken for the one read),
-- and whether the read accounted for the whole file (a windowed run that left events out did not).
ALTER TABLE usage_backfill.file_ledger ADD COLUMN IF NOT EXISTS tail_fingerprint TEXT;
ALTER TABLE usage_backfill.file_ledger ADD COLUMN IF NOT EXISTS read_to_end BOOLEAN NOT NULL DEFAULT true;

-- The duplicates a run met, by id, while it runs: the first time an event's row is found already there, it was in
-- the table before the run (unless the run inserted it); the next times, the logs repeat it. Deleted when the run ends.
CREATE TABLE IF NOT EXISTS usage_backfill.run_seen_id (
    job_instance_id BIGINT NOT NULL,
    id UUID NOT NULL,
    PRIMARY KEY (job_instance_id, id)
);
