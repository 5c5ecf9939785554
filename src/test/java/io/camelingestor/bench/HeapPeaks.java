package io.camelingestor.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** Heap in use, from the application's flight recording (one {@code jdk.GCHeapSummary} event per collection). */
final class HeapPeaks {

    private record Sample(Instant at, long used) {}

    private final List<Sample> samples = new ArrayList<>();

    HeapPeaks(Path recording) throws IOException {
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.GCHeapSummary")) {
                samples.add(new Sample(event.getStartTime(), event.getLong("heapUsed")));
            }
        }
    }

    /**
     * The most heap in use between two instants, in MB (the sample before a collection is the high point);
     * negative when no collection ran in between (the run allocated less than the young generation).
     */
    double peakMb(Instant from, Instant to) {
        return samples.stream()
                        .filter(s -> !s.at().isBefore(from) && !s.at().isAfter(to))
                        .mapToLong(Sample::used)
                        .max()
                        .orElse(-1)
                / (1024.0 * 1024.0);
    }
}
