-- The views of CEI-InOE (the ingestor this service replaces), with its names, column names and column types,
-- over this service's tables, so that the queries and dashboards built on them keep working.
-- What differs: the device columns come from the datasource registry (the original's device tables); a
-- device_token column holds the datasource's external id (tokens are never stored here); naive timestamps
-- are the stored instants in UTC (the original's mappings carry no zone, and read here as UTC); the source
-- type of a row is 'csv' for a file input and 'api' for an HTTP one (from its batch).

CREATE VIEW v_energy_hourly AS
SELECT d.external_id                AS device_token,
       d.client,
       d.alias,
       (f.ts AT TIME ZONE 'UTC')    AS ts,
       f.energy_kwh,
       'hourly'::text               AS granularity
FROM fact_energy_hourly f
JOIN datasource d ON d.external_id = f.device_id;

CREATE VIEW v_energy_daily AS
SELECT d.external_id AS device_token,
       d.client,
       d.alias,
       f.ts::timestamp AS ts,
       f.energy_kwh,
       'daily'::text  AS granularity
FROM fact_energy_daily f
JOIN datasource d ON d.external_id = f.device_id;

CREATE VIEW v_energy_monthly AS
SELECT d.external_id                       AS device_token,
       d.client,
       d.alias,
       date_trunc('month', f.ts)::date     AS month,
       sum(f.energy_kwh)                   AS total_energy_kwh,
       count(*)                            AS data_points
FROM fact_energy_daily f
JOIN datasource d ON d.external_id = f.device_id
GROUP BY d.external_id, d.client, d.alias, date_trunc('month', f.ts);

CREATE VIEW v_dairy_production_daily AS
SELECT p.production_date,
       p.day_production_per_cow_kg,
       p.number_of_animals,
       p.average_lactation_days,
       p.fed_per_cow_total_kg,
       p.fed_per_cow_water_kg,
       p.feed_efficiency,
       p.rumination_minutes,
       p.day_production_per_cow_kg * p.number_of_animals AS total_daily_production_kg,
       CASE WHEN p.fed_per_cow_total_kg > 0
            THEN round((p.day_production_per_cow_kg / p.fed_per_cow_total_kg)::numeric, 4)
       END AS calculated_feed_efficiency
FROM dairy_production p
ORDER BY p.production_date DESC;

CREATE VIEW v_feed_efficiency_analysis AS
SELECT p.production_date,
       p.feed_efficiency,
       p.fed_per_cow_total_kg,
       p.day_production_per_cow_kg,
       p.rumination_minutes,
       p.number_of_animals,
       p.average_lactation_days
FROM dairy_production p
WHERE p.feed_efficiency > 0
ORDER BY p.production_date DESC;

CREATE VIEW v_production_summary AS
SELECT date_trunc('month', p.production_date)::date           AS month,
       count(*)                                               AS days_recorded,
       round(avg(p.day_production_per_cow_kg)::numeric, 2)    AS avg_production_per_cow_kg,
       round(max(p.day_production_per_cow_kg)::numeric, 2)    AS max_production_per_cow_kg,
       round(min(p.day_production_per_cow_kg)::numeric, 2)    AS min_production_per_cow_kg,
       round(avg(p.number_of_animals)::numeric, 0)            AS avg_animals,
       round(avg(p.average_lactation_days)::numeric, 1)       AS avg_lactation_days,
       round(avg(p.feed_efficiency)::numeric, 4)              AS avg_feed_efficiency,
       round(avg(p.rumination_minutes)::numeric, 1)           AS avg_rumination_minutes
FROM dairy_production p
GROUP BY date_trunc('month', p.production_date)
ORDER BY month DESC;

CREATE VIEW v_environmental_metrics_daily AS
SELECT date(e."timestamp")                          AS measurement_date,
       round(avg(e.atm_pressure)::numeric, 2)       AS avg_atm_pressure,
       round(min(e.atm_pressure)::numeric, 2)       AS min_atm_pressure,
       round(max(e.atm_pressure)::numeric, 2)       AS max_atm_pressure,
       round(avg(e.noise_level_db)::numeric, 2)     AS avg_noise_level_db,
       round(max(e.noise_level_db)::numeric, 2)     AS max_noise_level_db,
       round(avg(e.temperature)::numeric, 2)        AS avg_temperature,
       round(min(e.temperature)::numeric, 2)        AS min_temperature,
       round(max(e.temperature)::numeric, 2)        AS max_temperature,
       round(avg(e.humidity)::numeric, 2)           AS avg_humidity,
       round(avg(e.pm10)::numeric, 2)               AS avg_pm10,
       round(max(e.pm10)::numeric, 2)               AS max_pm10,
       round(avg(e.wind_speed)::numeric, 2)         AS avg_wind_speed,
       round(max(e.wind_speed)::numeric, 2)         AS max_wind_speed,
       round(avg(e.pm2p5)::numeric, 2)              AS avg_pm2p5,
       round(max(e.pm2p5)::numeric, 2)              AS max_pm2p5,
       count(*)                                     AS record_count
FROM environmental_metrics e
GROUP BY date(e."timestamp")
ORDER BY measurement_date DESC;

CREATE VIEW v_air_quality_analysis AS
SELECT date(e."timestamp")                    AS measurement_date,
       round(avg(e.pm10)::numeric, 2)         AS avg_pm10,
       round(max(e.pm10)::numeric, 2)         AS max_pm10,
       round(avg(e.pm2p5)::numeric, 2)        AS avg_pm2p5,
       round(max(e.pm2p5)::numeric, 2)        AS max_pm2p5,
       CASE WHEN round(avg(e.pm10)::numeric, 2) <= 40 THEN 'Good'
            WHEN round(avg(e.pm10)::numeric, 2) <= 80 THEN 'Fair'
            WHEN round(avg(e.pm10)::numeric, 2) <= 120 THEN 'Moderate'
            ELSE 'Poor' END                   AS pm10_quality,
       CASE WHEN round(avg(e.pm2p5)::numeric, 2) <= 12 THEN 'Good'
            WHEN round(avg(e.pm2p5)::numeric, 2) <= 35.4 THEN 'Moderate'
            ELSE 'Poor' END                   AS pm2p5_quality
FROM environmental_metrics e
GROUP BY date(e."timestamp")
ORDER BY measurement_date DESC;

CREATE VIEW v_environmental_summary AS
SELECT date_trunc('month', e."timestamp")::date AS month,
       count(*)                                 AS record_count,
       round(avg(e.atm_pressure)::numeric, 2)   AS avg_atm_pressure,
       round(avg(e.noise_level_db)::numeric, 2) AS avg_noise_db,
       round(avg(e.temperature)::numeric, 2)    AS avg_temperature,
       round(avg(e.humidity)::numeric, 2)       AS avg_humidity,
       round(avg(e.pm10)::numeric, 2)           AS avg_pm10,
       round(max(e.pm10)::numeric, 2)           AS max_pm10,
       round(avg(e.wind_speed)::numeric, 2)     AS avg_wind_speed,
       round(avg(e.pm2p5)::numeric, 2)          AS avg_pm2p5,
       round(max(e.pm2p5)::numeric, 2)          AS max_pm2p5
FROM environmental_metrics e
GROUP BY date_trunc('month', e."timestamp")
ORDER BY month DESC;

-- pipeline_name is the batch's dataset (the original named the pipeline after its mapping)
CREATE VIEW v_pipeline_health AS
SELECT b.dataset                                                        AS pipeline_name,
       pe.stage,
       pe.status,
       count(*)                                                         AS execution_count,
       avg(EXTRACT(EPOCH FROM (pe.finished_at - pe.started_at)))        AS avg_duration_seconds,
       sum(pe.records_in)::bigint                                       AS total_records_in,
       sum(pe.records_out)::bigint                                      AS total_records_out,
       sum(pe.records_in - pe.records_out)::bigint                      AS total_records_lost,
       max(pe.finished_at)                                              AS last_execution
FROM pipeline_execution pe
JOIN ingest_batch b ON b.id = pe.batch_id
WHERE pe.started_at >= now() - INTERVAL '7 days'
GROUP BY b.dataset, pe.stage, pe.status
ORDER BY b.dataset, pe.stage;

-- a check here is a failed rule (the original also recorded passed checks): passed when nothing failed
CREATE VIEW v_data_quality_summary AS
SELECT q.dataset,
       q.check_type,
       count(*)                                                      AS total_checks,
       sum(CASE WHEN q.failed_count = 0 THEN 1 ELSE 0 END)           AS passed_checks,
       sum(CASE WHEN q.failed_count > 0 THEN 1 ELSE 0 END)           AS failed_checks,
       round(avg(CASE WHEN q.failed_count = 0 THEN 100.0 ELSE 0.0 END), 2) AS pass_rate,
       max(q.checked_at)                                             AS last_check
FROM data_quality_check q
WHERE q.checked_at >= now() - INTERVAL '7 days'
GROUP BY q.dataset, q.check_type
ORDER BY q.dataset, q.check_type;

CREATE VIEW v_source_comparison AS
SELECT 'environmental_metrics'::text AS dataset,
       CASE WHEN b.source_id LIKE 'files.%' THEN 'csv' ELSE 'api' END AS source_type,
       count(*)                      AS record_count,
       min(e."timestamp")            AS earliest_record,
       max(e."timestamp")            AS latest_record,
       count(DISTINCT e.device_id)   AS unique_devices
FROM environmental_metrics e
LEFT JOIN ingest_batch b ON b.id = e.batch_id
WHERE e."timestamp" >= now() - INTERVAL '30 days'
GROUP BY 2
UNION ALL
SELECT 'fact_energy_hourly', CASE WHEN b.source_id LIKE 'files.%' THEN 'csv' ELSE 'api' END, count(*),
       min(f.ts AT TIME ZONE 'UTC'), max(f.ts AT TIME ZONE 'UTC'), count(DISTINCT f.device_id)
FROM fact_energy_hourly f
LEFT JOIN ingest_batch b ON b.id = f.batch_id
WHERE f.ts >= now() - INTERVAL '30 days'
GROUP BY 2
UNION ALL
SELECT 'fact_energy_daily', CASE WHEN b.source_id LIKE 'files.%' THEN 'csv' ELSE 'api' END, count(*),
       min(f.ts), max(f.ts), count(DISTINCT f.device_id)
FROM fact_energy_daily f
LEFT JOIN ingest_batch b ON b.id = f.batch_id
WHERE f.ts >= now() - INTERVAL '30 days'
GROUP BY 2
UNION ALL
SELECT 'dairy_production', CASE WHEN b.source_id LIKE 'files.%' THEN 'csv' ELSE 'api' END, count(*),
       min(p.production_date), max(p.production_date), count(DISTINCT p.device_id)
FROM dairy_production p
LEFT JOIN ingest_batch b ON b.id = p.batch_id
WHERE p.production_date >= now() - INTERVAL '30 days'
GROUP BY 2;

-- the original's device views over its generic_device table: energy meters (Tago) and weather stations
-- (Airbeld); device_token is NULL (tokens live in the environment, see datasource.credentials)
CREATE VIEW device_energy AS
SELECT d.id::integer                  AS id,
       d.external_id::varchar(64)     AS device_id,
       d.alias::varchar(255)          AS display_name,
       d.client::varchar(255)         AS client,
       d.metadata ->> 'name'          AS name,
       NULL::text                     AS device_token
FROM datasource d
WHERE d.kind = 'tago' OR d.metadata ->> 'device_type' = 'energy';

CREATE VIEW device_weather AS
SELECT d.id::integer                  AS id,
       d.external_id::varchar(64)     AS device_id,
       d.alias::varchar(255)          AS display_name,
       d.client::varchar(255)         AS client,
       d.description,
       d.status::varchar(32)          AS status,
       d.timezone::varchar(64)        AS timezone,
       d.metadata ->> 'location'      AS location
FROM datasource d
WHERE d.kind = 'airbeld' OR d.metadata ->> 'device_type' = 'weather';
