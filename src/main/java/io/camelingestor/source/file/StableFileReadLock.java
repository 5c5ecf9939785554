package io.camelingestor.source.file;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.MarkerFileExclusiveReadLockStrategy;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a file once it is complete, then claims it for this replica.
 *
 * <p><b>Complete</b>: a file renamed (or linked, or time-stamped) into the folder after its last write is
 * taken at the second look that finds it unchanged, {@value #SETTLE_MILLIS} ms or more after the first: on
 * Linux a write sets the inode's change time (ctime) together with its modification time, while a rename
 * moves only the change time on, so a change time later than the modification time means the content was
 * finished before the file arrived. Both times come from a clock that moves every few milliseconds, so a rename
 * right after the last write often leaves them equal: the folder's file events ({@link WholeArrivals}) then
 * tell that the file arrived whole and was not written since. Any other file, such as one a writer is still writing in place, is taken
 * once its size and modification time have stayed the same for {@code stableFor} milliseconds (like Camel's
 * {@code readLock=changed}, but without sleeping: a file not stable yet is looked at again on the next poll,
 * so files dropped together become stable together). Size as well as time is compared, so a copy that keeps
 * an old modification time ({@code cp -p}) is still waited for while it grows. Without a change time (other
 * operating systems) every file waits {@code stableFor}.
 *
 * <p><b>Claimed</b>: a complete file is then claimed in the shared {@link FileClaims} repository under its
 * absolute path; a file another replica claimed is skipped. The claim is removed after the file has left the
 * folder (Camel moves it before it releases the read lock) or, on a failure, when the file stays for another
 * try. Within one replica, Camel's in-progress repository keeps two workers off one file.
 *
 * <p>Written by hand because Camel has no non-blocking variant of its changed read lock, and its idempotent
 * read lock cannot be combined with another one. Used from the file source template as
 * {@code exclusiveReadLockStrategy: "#class:io.camelingestor.source.file.StableFileReadLock(1000, #bean:fileClaims, #bean:wholeArrivals)"}.
 */
public class StableFileReadLock extends MarkerFileExclusiveReadLockStrategy {

    private static final Logger log = LoggerFactory.getLogger(StableFileReadLock.class);

    /** A renamed file is taken when two looks this far apart find it unchanged. */
    static final long SETTLE_MILLIS = 80;

    /** A file's size and times when last looked at, and since when they have not changed. */
    private record Seen(long length, long lastModified, long changed, long since, long lookedAt) {}

    /** Entries of files that disappeared before being taken are dropped after this long without a look. */
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);

    private static final long FORGET_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private volatile long lastForgot = System.nanoTime();

    private final long stableForNanos;
    private final IdempotentRepository claims;
    private final WholeArrivals arrivals;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** The files this replica claimed and has not released: Camel also "releases" a lock it never got. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    public StableFileReadLock(long stableForMillis) {
        this(stableForMillis, null, null);
    }

    /** Without file events (a route template from before them): renamed files are known by their times only. */
    public StableFileReadLock(long stableForMillis, IdempotentRepository claims) {
        this(stableForMillis, claims, null);
    }

    /**
     * @param claims the replicas' shared claims, or null for none (one replica, tests)
     * @param arrivals the folder's file events, or null to know renamed files by their times only
     */
    public StableFileReadLock(long stableForMillis, IdempotentRepository claims, WholeArrivals arrivals) {
        this.stableForNanos = TimeUnit.MILLISECONDS.toNanos(stableForMillis);
        this.claims = claims;
        this.arrivals = arrivals;
        super.setMarkerFiler(false);
    }

    /** The folder's file events are followed from the route's start, before the first file arrives. */
    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint) {
        super.prepareOnStartup(operations, endpoint);
        String folder = endpoint.getConfiguration().getDirectory();
        if (arrivals != null && folder != null) {
            arrivals.watch(Path.of(folder)); // made at start (InboundFolders); a missing one is watched later
        }
    }

    /**
     * No marker files ({@code <file>.camelLock}): a replica killed while holding one would leave it behind and
     * keep every other replica off the file; the claim in the database ages out instead.
     */
    @Override
    public void setMarkerFiler(boolean markerFile) {
        super.setMarkerFiler(false);
    }

    @Override
    public boolean acquireExclusiveReadLock(
            GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange) throws Exception {
        String path = file.getAbsoluteFilePath();
        if (arrivals != null) {
            arrivals.watch(Path.of(path).getParent()); // a folder made or remade after the start
        }
        if (!complete(path)) {
            return false;
        }
        if (!super.acquireExclusiveReadLock(operations, file, exchange)) {
            return false;
        }
        if (claims != null && !claim(path)) {
            super.releaseExclusiveReadLockOnAbort(operations, file, exchange);
            return false;
        }
        if (claims != null && !new File(path).exists()) {
            // another replica finished the file between our look and our claim: it moves a file before it
            // releases the claim, so a claim won after that release finds the file gone
            unclaim(file);
            super.releaseExclusiveReadLockOnAbort(operations, file, exchange);
            return false;
        }
        return true;
    }

    private boolean complete(String path) {
        File f = new File(path);
        long now = System.nanoTime();
        forgetOld(now);
        if (!f.exists()) {
            seen.remove(path);
            return false;
        }
        long length = f.length();
        long lastModified = f.lastModified();
        long changed = changeTime(f.toPath(), lastModified);
        Seen before = seen.get(path);
        if (before == null
                || before.length() != length
                || before.lastModified() != lastModified
                || before.changed() != changed) {
            seen.put(path, new Seen(length, lastModified, changed, now, now));
            return false;
        }
        boolean renamedWhenDone = changed > lastModified || (arrivals != null && arrivals.arrivedWhole(path, length));
        long unchangedFor = now - before.since();
        if (unchangedFor < stableForNanos
                && !(renamedWhenDone && unchangedFor >= TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS))) {
            seen.put(path, new Seen(length, lastModified, changed, before.since(), now));
            return false;
        }
        seen.remove(path);
        if (arrivals != null) {
            arrivals.forget(path);
        }
        return true;
    }

    private boolean claim(String path) {
        try {
            if (claims.add(path)) {
                held.add(path);
                return true;
            }
        } catch (RuntimeException e) {
            log.warn("Could not claim {} (tried again on the next poll): {}", path, e.getMessage());
            return false;
        }
        log.debug("{} is claimed by another replica", path);
        return false;
    }

    @Override
    public void releaseExclusiveReadLockOnCommit(
            GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange) throws Exception {
        try {
            super.releaseExclusiveReadLockOnCommit(operations, file, exchange);
        } finally {
            String path = file.getAbsoluteFilePath();
            if (claims instanceof FileClaims shared && !new File(path).exists() && held.remove(path)) {
                shared.removeSoon(path); // the file has moved on: its claim goes with the next few ones'
            } else {
                unclaim(file);
            }
        }
    }

    @Override
    public void releaseExclusiveReadLockOnRollback(
            GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange) throws Exception {
        try {
            super.releaseExclusiveReadLockOnRollback(operations, file, exchange);
        } finally {
            unclaim(file);
        }
    }

    @Override
    public void releaseExclusiveReadLockOnAbort(
            GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange) throws Exception {
        try {
            super.releaseExclusiveReadLockOnAbort(operations, file, exchange);
        } finally {
            unclaim(file);
        }
    }

    private void unclaim(GenericFile<File> file) {
        // Camel calls the abort release after a failed acquire too: never remove a claim another replica holds
        if (claims != null && held.remove(file.getAbsoluteFilePath())) {
            try {
                claims.remove(file.getAbsoluteFilePath());
            } catch (RuntimeException e) {
                // the claim ages out after ingestor.cluster.takeover-after
                log.warn("Could not release the claim of {}: {}", file.getAbsoluteFilePath(), e.getMessage());
            }
        }
    }

    /** The inode's change time (Linux {@code unix:ctime}) in ms, or the modification time when unknown. */
    private static long changeTime(Path path, long lastModified) {
        try {
            return ((FileTime) Files.getAttribute(path, "unix:ctime")).toMillis();
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return lastModified;
        }
    }

    private void forgetOld(long now) {
        // at most once a minute: on every look it made taking N files dropped together cost N² steps
        if (seen.size() > 64 && now - lastForgot > FORGET_EVERY_NANOS) {
            lastForgot = now;
            seen.values().removeIf(s -> now - s.lookedAt() > FORGET_NANOS);
        }
    }
}
