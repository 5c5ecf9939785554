-- Throughput (issue 6), measured on 1,000,000 energy_hourly rows (bench/results.md, README "Performance"):
--
-- 1. Staging rows hold their values as text arrays instead of JSON objects: the column names are the same
--    for every row of a batch, so they are kept once, in the batch's metadata (detected.header: the input's
--    columns, in raw's order; detected.columns: the load columns, in data's order; staging_object() below
--    puts them back together). The load casts each element to its column's type instead of going through
--    jsonb_populate_record.
-- 2. No per-row "loaded" flag: marking 1M staging rows loaded rewrote every row (about 10 s). A staging row
--    was loaded when it is valid and its batch is LOADED or PARTIAL (ingest_batch.status), which the load
--    commits in the same transaction as the rows.
-- 3. Staging rows are found by batch and row number through a BRIN index instead of a primary key: COPY no
--    longer maintains a b-tree per row (a third of its time). Batch ids are time-ordered (UUID version 7) and
--    row numbers grow within a batch, so each chunk of a batch sits in block ranges of its own, which the
--    load, running while the rest of the batch is staged, reads without reading the earlier chunks.
-- 4. Dataset tables keep batch_id for lineage without a foreign key: the per-row check cost about as much
--    as the insert itself, and batches are never deleted.
--
-- Staging rows already there are kept: their values move into arrays in the key order jsonb stored them in.

-- (ALTER ... USING takes no subquery; a function may hold one)
CREATE FUNCTION pg_temp.json_values(j jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE
    AS $$ SELECT coalesce(array_agg(value), '{}') FROM jsonb_each_text(j) $$;

DO $$
DECLARE
    t record;
    pk text;
BEGIN
    -- the template and every staging table made LIKE it (the shipped ones and any a user added)
    FOR t IN
        SELECT c.table_name
        FROM information_schema.columns c
        WHERE c.table_schema = current_schema() AND c.column_name = 'raw' AND c.data_type = 'jsonb'
          AND EXISTS (SELECT 1 FROM information_schema.columns l
                      WHERE l.table_schema = c.table_schema AND l.table_name = c.table_name
                        AND l.column_name = 'loaded')
    LOOP
        EXECUTE format(
            'ALTER TABLE %I ALTER COLUMN raw TYPE text[] USING pg_temp.json_values(raw), '
            || 'ALTER COLUMN data TYPE text[] USING pg_temp.json_values(data), '
            || 'DROP COLUMN loaded', t.table_name);
        SELECT conname INTO pk FROM pg_constraint
        WHERE conrelid = format('%I', t.table_name)::regclass AND contype = 'p';
        IF pk IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t.table_name, pk);
        END IF;
        EXECUTE format('CREATE INDEX %I ON %I USING brin (batch_id, row_number)', t.table_name || '_batch', t.table_name);
    END LOOP;

    -- every foreign key from a table's batch_id to ingest_batch, except the metadata tables' own
    FOR t IN
        SELECT con.conname, cls.relname
        FROM pg_constraint con
        JOIN pg_class cls ON cls.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = cls.relnamespace
        WHERE con.contype = 'f' AND con.confrelid = 'ingest_batch'::regclass AND ns.nspname = current_schema()
          AND cls.relname NOT IN ('ingest_batch', 'pipeline_execution', 'data_quality_check', 'dead_letter')
    LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t.relname, t.conname);
    END LOOP;
END $$;

-- Reading a staging row by column name, for people and reports:
--   SELECT s.row_number, staging_object(b.metadata->'detected'->'header', s.raw), s.errors
--   FROM staging_energy_hourly s JOIN ingest_batch b ON b.id = s.batch_id
--   WHERE s.batch_id = '…' AND NOT s.valid;
CREATE FUNCTION staging_object(names jsonb, vals text[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(n.name, vals[n.i]), '{}')
    FROM jsonb_array_elements_text(names) WITH ORDINALITY AS n(name, i)
$$;
