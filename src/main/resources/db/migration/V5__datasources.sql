-- The datasource registry (conf/datasources.yaml, the device CSV of CEI-InOE, and devices met in inputs):
-- one row per external id. ingest_batch.device_id references it; the dataset tables' device_id holds the
-- same external id (joined by value: a foreign key there would cost a lookup per loaded row).
-- credentials holds names of environment variables ({"token": "TAGO_TOKEN_BARN"}), never a secret.

CREATE TABLE datasource (
    id          bigserial PRIMARY KEY,
    external_id text        NOT NULL UNIQUE,
    kind        text        NOT NULL DEFAULT 'unknown',
    alias       text,
    client      text,
    site        text,
    description text,
    timezone    text        NOT NULL DEFAULT 'UTC',
    status      text        NOT NULL DEFAULT 'unknown',
    metadata    jsonb       NOT NULL DEFAULT '{}',
    credentials jsonb       NOT NULL DEFAULT '{}',
    files       jsonb,
    origin      text        NOT NULL DEFAULT 'registry'
        CHECK (origin IN ('registry', 'csv', 'import', 'unregistered')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX datasource_kind ON datasource (kind);

-- devices already in the data become datasources of unknown kind (the registry file describes them later)
INSERT INTO datasource (external_id, origin)
SELECT DISTINCT device_id, 'unregistered'
FROM (SELECT device_id FROM ingest_batch
      UNION SELECT device_id FROM fact_energy_hourly
      UNION SELECT device_id FROM fact_energy_daily
      UNION SELECT device_id FROM environmental_metrics
      UNION SELECT device_id FROM dairy_production
      UNION SELECT device_id FROM solar_station_hourly
      UNION SELECT device_id FROM solar_station_daily
      UNION SELECT device_id FROM solar_station_monthly
      UNION SELECT device_id FROM api_fetch_cursor) d
WHERE device_id IS NOT NULL AND device_id <> ''
ON CONFLICT (external_id) DO NOTHING;

ALTER TABLE ingest_batch
    ADD CONSTRAINT ingest_batch_datasource FOREIGN KEY (device_id) REFERENCES datasource (external_id);

-- the mapping's granularity (raw, hourly, daily, ...), kept with each batch
ALTER TABLE ingest_batch ADD COLUMN granularity text;
