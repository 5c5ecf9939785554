-- Bookkeeping of every input: batches, their stages, quality checks, dead letters and API cursors.

CREATE TABLE ingest_batch (
    id            uuid PRIMARY KEY,
    source_id     text        NOT NULL,
    dataset       text        NOT NULL,
    input_id      text        NOT NULL,
    sha256        text,
    source_uri    text        NOT NULL,
    device_id     text,
    content_type  text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('RUNNING', 'LOADED', 'PARTIAL', 'DUPLICATE', 'REJECTED', 'FAILED')),
    rows_total    bigint,
    rows_valid    bigint,
    rows_invalid  bigint,
    rows_loaded   bigint,
    quality_score numeric(5, 2),          -- percent of rows valid, as the original ingestor reported it
    error         text,
    duplicate_of  uuid REFERENCES ingest_batch (id),
    node_id       text        NOT NULL,   -- the replica that ran it; a restart resolves its own RUNNING batches
    metadata      jsonb       NOT NULL DEFAULT '{}',
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);

-- The last guard against loading the same content twice: at most one completed batch per content.
-- RUNNING is left out so that an interrupted batch never blocks a retry; the load marks its batch
-- completed in the same transaction, so a race between replicas ends in a rollback, not a double load.
CREATE UNIQUE INDEX ingest_batch_content_once ON ingest_batch (dataset, sha256)
    WHERE sha256 IS NOT NULL AND status IN ('LOADED', 'PARTIAL');
CREATE INDEX ingest_batch_dataset_started ON ingest_batch (dataset, started_at DESC);
CREATE INDEX ingest_batch_status ON ingest_batch (status) WHERE status = 'RUNNING';

CREATE TABLE pipeline_execution (
    id          bigserial PRIMARY KEY,
    batch_id    uuid        NOT NULL REFERENCES ingest_batch (id),
    stage       text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    status      text        NOT NULL,
    records_in  bigint      NOT NULL DEFAULT 0,
    records_out bigint      NOT NULL DEFAULT 0,
    error       text
);
CREATE INDEX pipeline_execution_batch ON pipeline_execution (batch_id);

-- "check" and "column" are reserved words in SQL: check_type and column_name spare every query the quotes.
CREATE TABLE data_quality_check (
    id              bigserial PRIMARY KEY,
    batch_id        uuid        NOT NULL REFERENCES ingest_batch (id),
    dataset         text        NOT NULL,
    check_type      text        NOT NULL,
    column_name     text,
    failed_count    bigint      NOT NULL,
    total_count     bigint      NOT NULL,
    sample_failures jsonb       NOT NULL DEFAULT '[]',
    checked_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_quality_check_batch ON data_quality_check (batch_id);

CREATE TABLE dead_letter (
    id              bigserial PRIMARY KEY,
    batch_id        uuid REFERENCES ingest_batch (id),
    source_id       text        NOT NULL,
    input_id        text,
    route_id        text,
    error_class     text        NOT NULL,
    error_message   text        NOT NULL,
    payload_ref     text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    replayed_at     timestamptz,
    replay_batch_id uuid REFERENCES ingest_batch (id)
);
CREATE INDEX dead_letter_open ON dead_letter (created_at) WHERE replayed_at IS NULL;

CREATE TABLE api_fetch_cursor (
    source_id  text        NOT NULL,
    device_id  text        NOT NULL DEFAULT '',
    last_ts    timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_id, device_id)
);

-- The shape every staging table has; a dataset's staging table is created LIKE it.
CREATE TABLE staging_template (
    batch_id   uuid    NOT NULL,
    row_number bigint  NOT NULL,
    raw        jsonb   NOT NULL,
    data       jsonb   NOT NULL,
    errors     jsonb,
    valid      boolean NOT NULL,
    loaded     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (batch_id, row_number)
);
