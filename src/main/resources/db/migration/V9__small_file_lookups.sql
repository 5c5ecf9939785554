-- Per-file lookups that grew with the tables (issue 15, measured on 500 files of 100 rows, README "Performance"):
--
-- 1. Every registration links a replayed dead letter to the batch that ingests its input again
--    (UPDATE dead_letter ... WHERE input_id = ? AND source_id = ? AND replayed_at IS NOT NULL
--    AND replay_batch_id IS NULL): without an index that is a scan of every dead letter ever written, per input.
--    The rows it looks for are the few replayed and not yet linked ones: a partial index holds only those.
CREATE INDEX dead_letter_replay_pending ON dead_letter (input_id, source_id)
    WHERE replayed_at IS NOT NULL AND replay_batch_id IS NULL;

-- 2. A small file's staging rows sit in one BRIN block range with those of the files staged just before it, and
--    its load reads that whole range: 128 pages (1 MB) by default, 68 pages and 2,668 rows rechecked for a file
--    of 100 rows in the benchmark (0.93 ms); with ranges of 16 pages, 16 pages and 556 rows (0.33 ms). A chunk
--    of a large input (32,768 rows, about 700 pages) still spans whole ranges of its own. The template and every
--    staging table made like it get their BRIN index on (batch_id, row_number) again with the smaller ranges.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT ic.relname AS index_name, tc.relname AS table_name
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_am a ON a.oid = ic.relam
        JOIN pg_namespace ns ON ns.oid = tc.relnamespace
        WHERE a.amname = 'brin' AND ns.nspname = current_schema() AND tc.relname LIKE 'staging\_%'
          AND pg_get_indexdef(i.indexrelid) LIKE '%(batch_id, row_number)%'
    LOOP
        EXECUTE format('DROP INDEX %I', t.index_name);
        EXECUTE format('CREATE INDEX %I ON %I USING brin (batch_id, row_number) WITH (pages_per_range = 16)',
                       t.index_name, t.table_name);
    END LOOP;
END $$;
