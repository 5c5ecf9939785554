package io.camelingestor.source.file;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.MarkerFileExclusiveReadLockStrategy;

/**
 * Takes a file once its size and modification time have stayed the same for {@code stableFor} milliseconds,
 * like Camel's {@code readLock=changed}, but without sleeping: a file that is not stable yet is skipped and
 * looked at again on the next poll. Camel's strategy waits for each file in turn inside the poll, so twenty
 * files dropped together cost twenty check intervals one after the other; here they become stable together.
 * Size as well as time is compared, so a copy that keeps an old modification time ({@code cp -p}) is still
 * waited for while it grows.
 *
 * <p>Written by hand because Camel has no non-blocking variant of its changed read lock. Used from the file
 * source template as {@code exclusiveReadLockStrategy: "#class:io.camelingestor.source.file.StableFileReadLock(1000)"}.
 */
public class StableFileReadLock extends MarkerFileExclusiveReadLockStrategy {

    /** A file's size and time when last looked at, and since when they have not changed. */
    private record Seen(long length, long lastModified, long since, long lookedAt) {}

    /** Entries of files that disappeared before being taken are dropped after this long without a look. */
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final long stableForNanos;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    public StableFileReadLock(long stableForMillis) {
        this.stableForNanos = TimeUnit.MILLISECONDS.toNanos(stableForMillis);
    }

    @Override
    public boolean acquireExclusiveReadLock(
            GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange) throws Exception {
        String path = file.getAbsoluteFilePath();
        File f = new File(path);
        long now = System.nanoTime();
        forgetOld(now);
        if (!f.exists()) {
            seen.remove(path);
            return false;
        }
        long length = f.length();
        long lastModified = f.lastModified();
        Seen before = seen.get(path);
        if (before == null || before.length() != length || before.lastModified() != lastModified) {
            seen.put(path, new Seen(length, lastModified, now, now));
            return false;
        }
        if (now - before.since() < stableForNanos) {
            seen.put(path, new Seen(length, lastModified, before.since(), now));
            return false;
        }
        seen.remove(path);
        return super.acquireExclusiveReadLock(operations, file, exchange);
    }

    private void forgetOld(long now) {
        if (seen.size() > 64) {
            seen.values().removeIf(s -> now - s.lookedAt() > FORGET_NANOS);
        }
    }
}
