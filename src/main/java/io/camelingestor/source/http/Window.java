package io.camelingestor.source.http;

import java.time.Instant;

/**
 * One fetch window of a device: the API is asked for {@code [start, end)}; records at or before the cursor
 * (the newest record already loaded, read again when the window is fetched) are dropped, so a window that
 * overlaps what was loaded loads nothing twice.
 *
 * @param cursor the cursor when the run was planned, or null when nothing was loaded yet
 * @param index the window's number in the run, from 1
 * @param of how many windows the run planned for the device
 * @param run the device's run, shared by its windows
 */
public record Window(Instant start, Instant end, Instant cursor, int index, int of, DeviceRun run) {

    @Override
    public String toString() {
        return start + "/" + end;
    }
}
