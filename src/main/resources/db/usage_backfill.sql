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

-- The rows each run inserted: a record per chunk, written in the chunk's transaction (so exact across crashes and
-- restarts): ids holds 16 bytes an id, digests 8 bytes a digest of that row's values as written. `undo` removes
-- exactly these rows, and only those still as written; kept until the run is undone or pruned
-- (docs/undo-and-verify.md).
CREATE TABLE IF NOT EXISTS usage_backfill.run_insert (
    record_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_instance_id BIGINT NOT NULL,
    target_table TEXT NOT NULL,
    ids BYTEA NOT NULL,
    digests BYTEA NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS run_insert_run ON usage_backfill.run_insert (job_instance_id, record_id);

-- Runs undone: when, what was removed, and what was found gone or changed since; counts grow with each chunk
-- undone (in its transaction), so an undo killed half-way and run again ends with exact totals.
CREATE TABLE IF NOT EXISTS usage_backfill.run_undo (
    job_instance_id BIGINT PRIMARY KEY,
    target_table TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    removed BIGINT NOT NULL DEFAULT 0,
    gone BIGINT NOT NULL DEFAULT 0,
    changed BIGINT NOT NULL DEFAULT 0
);

-- The files each run accounted for in the ledger (path and fingerprint), so undoing the run makes the next
-- incremental run read them again, under their names or rotated ones.
CREATE TABLE IF NOT EXISTS usage_backfill.run_file (
    job_instance_id BIGINT NOT NULL,
    target_table TEXT NOT NULL,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (job_instance_id, target_table, path)
);

-- The id a rejected line's row would have had: a corrected copy of the line fed back is loaded under it.
ALTER TABLE usage_backfill.rejected_line ADD COLUMN IF NOT EXISTS line_id UUID;
