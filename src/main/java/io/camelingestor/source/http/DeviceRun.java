package io.camelingestor.source.http;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One device's run, shared by the windows planned for it: once a window fails, the later ones are not
 * fetched (loading them would move the cursor past the failed one); they wait for the next run.
 */
public final class DeviceRun {

    private final AtomicBoolean failed = new AtomicBoolean();

    public boolean failed() {
        return failed.get();
    }

    void fail() {
        failed.set(true);
    }
}
