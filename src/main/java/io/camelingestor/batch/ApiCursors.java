package io.camelingestor.batch;

import io.camelingestor.core.Envelope;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code api_fetch_cursor}: per HTTP source and device, the time of the newest record loaded. The cursor of a
 * window travels in its envelope ({@code metadata.cursor = {sourceId, deviceId, lastTs}}) and is advanced by
 * the load, in the load's own transaction (plain {@link JdbcTemplate} calls join the caller's Spring
 * transaction), so a cursor never runs ahead of the rows it stands for.
 */
@Component("apiCursors")
public class ApiCursors {

    public static final String METADATA_KEY = "cursor";

    private final JdbcTemplate jdbc;

    public ApiCursors(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Moves the envelope's cursor forward; a no-op for an envelope without one (files), and a cursor never
     * moves backwards (an older window loaded again leaves it where it is).
     */
    public void advance(Envelope envelope) {
        advance(jdbc, envelope);
    }

    /** {@link #advance(Envelope)} on the given connection's transaction (a load in the staging's own one). */
    public void advance(JdbcOperations on, Envelope envelope) {
        positionOf(envelope).ifPresent(p -> advance(on, p.sourceId(), p.deviceId(), p.lastTs()));
    }

    /**
     * The cursor this source and device stand at when it is at or past the envelope's newest record (a later
     * run loaded that window again, or newer); empty when it is behind, or the envelope has no cursor (files).
     */
    public Optional<Instant> passed(Envelope envelope) {
        return positionOf(envelope)
                .flatMap(p -> last(p.sourceId(), p.deviceId()).filter(last -> !last.isBefore(p.lastTs())));
    }

    /** Where an envelope's records end: its source, device and newest record's time. */
    private record Position(String sourceId, String deviceId, Instant lastTs) {}

    private static Optional<Position> positionOf(Envelope envelope) {
        if (envelope == null
                || !(envelope.metadata().get(METADATA_KEY) instanceof Map<?, ?> cursor)
                || cursor.get("lastTs") == null) {
            return Optional.empty();
        }
        return Optional.of(new Position(
                String.valueOf(cursor.get("sourceId")),
                cursor.get("deviceId") == null ? "" : String.valueOf(cursor.get("deviceId")),
                Instant.parse(String.valueOf(cursor.get("lastTs")))));
    }

    /** Moves a cursor forward to {@code lastTs}, never backwards. */
    public void advance(String sourceId, String deviceId, Instant lastTs) {
        advance(jdbc, sourceId, deviceId, lastTs);
    }

    private static void advance(JdbcOperations on, String sourceId, String deviceId, Instant lastTs) {
        on.update(
                """
                INSERT INTO api_fetch_cursor (source_id, device_id, last_ts, updated_at) VALUES (?, ?, ?, clock_timestamp())
                ON CONFLICT (source_id, device_id) DO UPDATE
                SET last_ts = GREATEST(api_fetch_cursor.last_ts, EXCLUDED.last_ts), updated_at = clock_timestamp()
                """,
                sourceId,
                deviceId == null ? "" : deviceId,
                Timestamp.from(lastTs));
    }

    /** The time of the newest record loaded for this source and device, if any was. */
    public Optional<Instant> last(String sourceId, String deviceId) {
        return jdbc
                .query(
                        "SELECT last_ts FROM api_fetch_cursor WHERE source_id = ? AND device_id = ?",
                        (rs, n) -> rs.getTimestamp(1).toInstant(),
                        sourceId,
                        deviceId == null ? "" : deviceId)
                .stream()
                .findFirst();
    }
}
