package io.camelingestor.source.file;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Which files arrived in a watched inbound folder whole, by a rename or a link, and were not written since: the
 * operating system's file events ({@link WatchService}, inotify on Linux) tell, where file times cannot.
 *
 * <p>Why: {@link StableFileReadLock} knows a renamed file by its change time being later than its modification
 * time, but Linux stamps both from a clock that moves every few milliseconds (4 ms here), so a writer that
 * renames right after its last write, as most do, often leaves them equal, and its file waited the whole
 * stability period ({@code ingestor.files.stable-for}, 1 s) like one written in place. The events do not have
 * that blind spot: a file moved or linked into the folder is created with its content ({@code ENTRY_CREATE}
 * and nothing else), while any write, truncation or change of times in place is an {@code ENTRY_MODIFY}.
 *
 * <p>Only a positive answer shortens the wait, and every doubt gives none: a folder not watched yet, a file
 * whose arrival was not seen (created before the watch, or on a network file system whose remote writes send
 * no events), events lost to an overflow, events not yet read, an empty file. The JDK's watch service is the
 * library for this; the bookkeeping of what each file did since it arrived is what no library keeps.
 */
@Component("wholeArrivals")
public class WholeArrivals {

    private static final Logger log = LoggerFactory.getLogger(WholeArrivals.class);

    /** More files than this seen and not taken (names the sources exclude, say): start again from none. */
    private static final int MAX_TRACKED = 20_000;

    private final Map<Path, WatchKey> folders = new ConcurrentHashMap<>();
    /** Per file seen arriving: true while nothing has written it since. */
    private final Map<String, Boolean> arrived = new ConcurrentHashMap<>();

    private volatile WatchService watch;
    private volatile Thread reader;
    /** False while the reader handles events; true while it waits with none left unread. */
    private volatile boolean idle;

    /** Watches a folder's entries from now on; does nothing when it already does or the folder is missing. */
    public void watch(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        WatchKey key = folders.get(dir);
        if (key != null && key.isValid()) {
            return;
        }
        synchronized (this) {
            try {
                if (watch == null) {
                    watch = FileSystems.getDefault().newWatchService();
                    reader = new Thread(this::read, "inbound-arrivals");
                    reader.setDaemon(true);
                    reader.start();
                }
                folders.put(
                        dir,
                        dir.register(
                                watch,
                                StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_MODIFY,
                                StandardWatchEventKinds.ENTRY_DELETE));
            } catch (IOException | ClosedWatchServiceException | UnsupportedOperationException e) {
                // a file there waits for its stability period, as it would without the events
                log.debug("Not watching {} for files renamed into it: {}", dir, e.toString());
            }
        }
    }

    /**
     * True when the file was seen arriving with content and nothing has written it since, asked while every
     * event so far has been read (a write made before this look has been counted).
     */
    public boolean arrivedWhole(String path, long length) {
        return length > 0 && idle && Boolean.TRUE.equals(arrived.get(key(path)));
    }

    /** The file has been taken: nothing more to know about it. */
    public void forget(String path) {
        arrived.remove(key(path));
    }

    /** As the events name it: under the folder's absolute, normalized path. */
    private static String key(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    private void read() {
        WatchService service = watch;
        try {
            while (true) {
                WatchKey key = service.poll();
                if (key == null) {
                    idle = true;
                    key = service.take();
                }
                idle = false;
                Path dir = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    record(dir, event);
                }
                if (!key.reset()) {
                    folders.remove(dir, key);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(Path dir, WatchEvent<?> event) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            arrived.clear(); // events were lost: nobody can tell which files were written
            return;
        }
        String path = dir.resolve((Path) event.context()).toString();
        if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
            if (arrived.size() >= MAX_TRACKED) {
                arrived.clear();
            }
            arrived.put(path, Boolean.TRUE);
        } else if (event.kind() == StandardWatchEventKinds.ENTRY_MODIFY) {
            arrived.replace(path, Boolean.FALSE);
        } else {
            arrived.remove(path);
        }
    }

    @PreDestroy
    void stop() throws IOException {
        synchronized (this) {
            if (watch != null) {
                watch.close();
            }
        }
    }
}
