package io.camelingestor.source.http;

import io.camelingestor.batch.ApiCursors;
import io.camelingestor.core.ExchangeProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Plans a device's fetch windows: from its cursor (or {@code lookbackDays} back when nothing was loaded yet)
 * to now, cut into windows no longer than the source's {@code maxWindow} (aligned to {@code windowAlign}),
 * oldest first. The route fetches them in order; once one fails (ends FAILED or REJECTED), the later ones are
 * left for the next run, so the cursor (moved by each window's load) never skips a window.
 */
@Component("fetchWindows")
public class FetchWindows {

    private static final Logger log = LoggerFactory.getLogger(FetchWindows.class);

    private final ApiCursors cursors;

    public FetchWindows(ApiCursors cursors) {
        this.cursors = cursors;
    }

    /** The windows to fetch now, oldest first; none when the cursor is at now. */
    public List<Window> plan(HttpSourceSpec spec, Device device) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant cursor = cursors.last(spec.sourceId(), device.id()).orElse(null);
        Instant from = cursor != null
                ? cursor
                : now.minus(Duration.ofDays(spec.windows().lookbackDays()));
        List<Instant> starts = new ArrayList<>();
        Instant start = align(from, spec);
        while (start.isBefore(now)) {
            starts.add(start);
            Instant next = align(start.plus(spec.windows().maxWindow()), spec);
            start = next.isAfter(start) ? next : start.plus(spec.windows().maxWindow());
        }
        List<Window> windows = new ArrayList<>();
        DeviceRun run = new DeviceRun();
        for (int i = 0; i < starts.size(); i++) {
            Instant end = i + 1 < starts.size() ? starts.get(i + 1) : now;
            windows.add(new Window(starts.get(i), end, cursor, i + 1, starts.size(), run));
        }
        return windows;
    }

    /**
     * The window boundary at or before {@code at} for APIs that answer per calendar unit (FusionSolar's KPIs
     * per day, month or year of {@code collectTime}), in the source's time zone.
     */
    static Instant align(Instant at, HttpSourceSpec spec) {
        ZonedDateTime t = at.atZone(spec.records().timeZone());
        ZonedDateTime aligned =
                switch (spec.windows().windowAlign()) {
                    case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
                    case DAY -> t.truncatedTo(ChronoUnit.DAYS);
                    case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
                    case YEAR -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
                    case NONE -> t;
                };
        return aligned.toInstant();
    }

    /**
     * A window without new records: normal for an API, so no batch and no dead letter. The cursor moves to
     * the window's end only when that end is older than {@code lateDataGrace}: records that late are not
     * expected any more, and a device that stays silent is then not asked for the same span on every run. A
     * more recent empty window leaves the cursor, so data that arrives late is still fetched next run.
     *
     * <p>Expects the exchange properties {@code source}, {@value ExchangeProperties#DEVICE} and {@value ExchangeProperties#WINDOW}.
     */
    public void empty(Exchange exchange) {
        HttpSourceSpec spec = exchange.getProperty(ExchangeProperties.SOURCE, HttpSourceSpec.class);
        Device device = exchange.getProperty(ExchangeProperties.DEVICE, Device.class);
        Window window = exchange.getProperty(ExchangeProperties.WINDOW, Window.class);
        boolean settled =
                window.end().isBefore(Instant.now().minus(spec.windows().lateDataGrace()));
        if (settled) {
            cursors.advance(spec.sourceId(), device.id(), window.end());
        }
        log.info(
                "{} {} window {} ({}/{}): no new records{}",
                spec.sourceId(),
                device,
                window,
                window.index(),
                window.of(),
                settled ? ", cursor moved to its end" : ", cursor kept for late data");
    }
}
