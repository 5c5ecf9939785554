-- Tables of the shipped datasets (mappings/*.yaml). Every table keys rows on the unique key its mapping's
-- on_columns names; NULLS NOT DISTINCT (PostgreSQL 15+) keeps that key meaningful for files without a
-- device id. batch_id links each row to the ingest_batch that last wrote it.

CREATE TABLE fact_energy_hourly (
    id          bigserial PRIMARY KEY,
    device_id   text,
    ts          timestamptz      NOT NULL,
    energy_kwh  double precision NOT NULL,
    batch_id    uuid REFERENCES ingest_batch (id),
    ingested_at timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT fact_energy_hourly_device_ts UNIQUE NULLS NOT DISTINCT (device_id, ts)
);
CREATE TABLE staging_energy_hourly (LIKE staging_template INCLUDING ALL);

CREATE TABLE fact_energy_daily (
    id          bigserial PRIMARY KEY,
    device_id   text,
    ts          date             NOT NULL,
    energy_kwh  double precision NOT NULL,
    batch_id    uuid REFERENCES ingest_batch (id),
    ingested_at timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT fact_energy_daily_device_ts UNIQUE NULLS NOT DISTINCT (device_id, ts)
);
CREATE TABLE staging_energy_daily (LIKE staging_template INCLUDING ALL);

CREATE TABLE environmental_metrics (
    id                     bigserial PRIMARY KEY,
    device_id              text,
    "timestamp"            timestamptz NOT NULL,
    atm_pressure           numeric(8, 2),
    noise_level_db         numeric(6, 2),
    temperature            numeric(6, 2),
    humidity               numeric(6, 2),
    pm10                   numeric(8, 2),
    wind_speed             numeric(6, 2),
    wind_direction_sectors numeric(6, 2),
    wind_angle             numeric(6, 2),
    pm2p5                  numeric(8, 2),
    batch_id               uuid REFERENCES ingest_batch (id),
    ingested_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT environmental_metrics_device_timestamp UNIQUE NULLS NOT DISTINCT (device_id, "timestamp")
);
CREATE TABLE staging_environmental_metrics (LIKE staging_template INCLUDING ALL);

CREATE TABLE dairy_production (
    id                        bigserial PRIMARY KEY,
    device_id                 text,
    production_date           date        NOT NULL,
    day_production_per_cow_kg numeric(10, 2),
    number_of_animals         integer,
    average_lactation_days    integer,
    fed_per_cow_total_kg      numeric(10, 2),
    fed_per_cow_water_kg      numeric(10, 2),
    feed_efficiency           numeric(10, 4),
    rumination_minutes        integer,
    batch_id                  uuid REFERENCES ingest_batch (id),
    ingested_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dairy_production_device_date UNIQUE NULLS NOT DISTINCT (device_id, production_date)
);
CREATE TABLE staging_dairy_production (LIKE staging_template INCLUDING ALL);
