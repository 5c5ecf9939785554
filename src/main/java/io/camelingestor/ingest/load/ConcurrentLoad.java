package io.camelingestor.ingest.load;

import io.camelingestor.batch.BatchStatus;
import io.camelingestor.batch.BatchStore;
import io.camelingestor.core.StageResult;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load of one batch, running on its own thread and in its own transaction while the batch is still being
 * staged: each chunk of rows the stager commits is inserted into the dataset's table at once, so the database
 * inserts one chunk while the next one is read, coerced and copied, and both cores work on one input.
 * Nothing is visible before {@link #finish}: the
 * quality gate can still reject the input, which {@link #abort() rolls back} every insert.
 *
 * <p>Begun by the stager once an input's first chunk is committed and more rows follow (an input of one chunk
 * is loaded in its staging's transaction instead).
 */
public final class ConcurrentLoad implements PendingLoad {

    /** What the loading thread is asked to do next. */
    sealed interface Command permits Rows, Finish, Abort {}

    /** Staged rows up to this row number are committed: insert them. */
    record Rows(long upTo) implements Command {}

    /** Staging ended: complete the batch and commit. */
    record Finish(BatchStatus status, StageResult staged, Instant started, BatchStore.StageRun stage)
            implements Command {}

    /** The input will not be loaded: roll back. */
    record Abort() implements Command {}

    /** A stuck exchange must not hold a connection and an open transaction forever. */
    static final Duration IDLE_LIMIT = Duration.ofHours(1);

    private final UUID batchId;
    private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final CompletableFuture<Long> outcome = new CompletableFuture<>();
    private volatile boolean ended;

    ConcurrentLoad(UUID batchId) {
        this.batchId = batchId;
    }

    @Override
    public UUID batchId() {
        return batchId;
    }

    /** Called by the stager each time a chunk of staged rows is committed. */
    public void rowsStaged(long upToRow) {
        commands.add(new Rows(upToRow));
    }

    @Override
    public long finish(BatchStatus status, StageResult staged, Instant started, BatchStore.StageRun stage) {
        commands.add(new Finish(status, staged, started, stage));
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new IllegalStateException("interrupted while the load of batch " + batchId + " finished", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException("load of batch " + batchId + " failed", e.getCause());
        }
    }

    /** Rolls the load back (idempotent; a no-op once it finished). Waits a little for the rollback. */
    @Override
    public void abort() {
        if (ended) {
            return;
        }
        commands.add(new Abort());
        try {
            outcome.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // rolled back with an error, or still rolling back: either way nothing of it is committed
        }
    }

    /** The loading thread's next command; an abort when none came for {@link #IDLE_LIMIT}. */
    Command next() throws InterruptedException {
        Command command = commands.poll(IDLE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        return command == null ? new Abort() : command;
    }

    void ended(long rows, Throwable failure) {
        ended = true;
        if (failure == null) {
            outcome.complete(rows);
        } else {
            outcome.completeExceptionally(failure);
        }
    }
}
