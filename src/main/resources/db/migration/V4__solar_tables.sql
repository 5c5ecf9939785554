-- FusionSolar station KPIs (routes/sources/fusionsolar.yaml): one table per granularity, keyed by station
-- code (device_id) and FusionSolar's collectTime (the start of the hour, day or month, in the plant's zone).
-- Values are in FusionSolar's units: kWh for energy, kW for power, kWh/m2 for radiation, currency for profit.
-- batch_id is lineage without a foreign key (a per-row check costs about as much as the insert itself).

CREATE TABLE solar_station_hourly (
    id                  bigserial PRIMARY KEY,
    device_id           text        NOT NULL,
    ts                  timestamptz NOT NULL,
    radiation_intensity numeric(12, 4),
    theory_power        numeric(14, 4),
    inverter_power      numeric(14, 4),
    ongrid_power        numeric(14, 4),
    power_profit        numeric(14, 4),
    batch_id            uuid,
    ingested_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT solar_station_hourly_device_ts UNIQUE (device_id, ts)
);
CREATE TABLE staging_solar_station_hourly (LIKE staging_template INCLUDING ALL);

CREATE TABLE solar_station_daily (
    id                   bigserial PRIMARY KEY,
    device_id            text        NOT NULL,
    ts                   timestamptz NOT NULL,
    installed_capacity   numeric(14, 4),
    radiation_intensity  numeric(12, 4),
    theory_power         numeric(14, 4),
    performance_ratio    numeric(10, 4),
    inverter_power       numeric(14, 4),
    ongrid_power         numeric(14, 4),
    use_power            numeric(14, 4),
    power_profit         numeric(14, 4),
    perpower_ratio       numeric(14, 4),
    reduction_total_co2  numeric(14, 4),
    reduction_total_coal numeric(14, 4),
    reduction_total_tree numeric(14, 4),
    batch_id             uuid,
    ingested_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT solar_station_daily_device_ts UNIQUE (device_id, ts)
);
CREATE TABLE staging_solar_station_daily (LIKE staging_template INCLUDING ALL);

CREATE TABLE solar_station_monthly (
    id                   bigserial PRIMARY KEY,
    device_id            text        NOT NULL,
    ts                   timestamptz NOT NULL,
    installed_capacity   numeric(14, 4),
    radiation_intensity  numeric(12, 4),
    theory_power         numeric(14, 4),
    performance_ratio    numeric(10, 4),
    inverter_power       numeric(14, 4),
    ongrid_power         numeric(14, 4),
    use_power            numeric(14, 4),
    power_profit         numeric(14, 4),
    perpower_ratio       numeric(14, 4),
    reduction_total_co2  numeric(14, 4),
    reduction_total_coal numeric(14, 4),
    reduction_total_tree numeric(14, 4),
    batch_id             uuid,
    ingested_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT solar_station_monthly_device_ts UNIQUE (device_id, ts)
);
CREATE TABLE staging_solar_station_monthly (LIKE staging_template INCLUDING ALL);
