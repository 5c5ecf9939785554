package io.camelingestor.source.file;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The {@code ingestor.workers} threads every file source hands its files to (the {@code threads} step of
 * routes/templates/file-source.yaml): files of one folder and of different folders are ingested side by side,
 * at most {@code ingestor.workers} at once on this replica.
 *
 * <p>There is no queue: when every worker is busy, the folder's poller waits before it takes (and claims) its
 * next file. A replica therefore never holds claims on files it cannot start yet, and the files of a shared
 * folder spread over the replicas that have a free worker. Camel's thread pools queue or run the task in the
 * caller when full; a blocking hand-over is not among their policies, hence this small executor.
 */
@Component("ingestWorkers")
public class IngestWorkers extends ThreadPoolExecutor {

    public IngestWorkers(@Value("${ingestor.workers:2}") int workers) {
        super(check(workers), workers, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), named(), (task, pool) -> {
            try {
                if (pool.isShutdown()) {
                    throw new RejectedExecutionException("ingest workers are stopping");
                }
                pool.getQueue().put(task); // waits for a free worker
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectedExecutionException("interrupted while waiting for a free ingest worker", e);
            }
        });
    }

    private static int check(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("ingestor.workers must be 1 or more, not " + workers);
        }
        return workers;
    }

    private static java.util.concurrent.ThreadFactory named() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "ingest-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Busy workers now. */
    public int busy() {
        return getActiveCount();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        shutdown();
        awaitTermination(30, TimeUnit.SECONDS);
    }
}
