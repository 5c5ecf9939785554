package io.camelingestor.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file is taken only after its size and time stayed the same for the whole period, without blocking. */
class StableFileReadLockTest {

    @TempDir
    Path dir;

    private final StableFileReadLock lock = new StableFileReadLock(300);

    @Test
    void aFileIsTakenOnceUnchangedForThePeriodAndNeverBefore() throws Exception {
        Path file = Files.writeString(dir.resolve("a.csv"), "Date and Time,Hourly\n");

        assertThat(acquire(file)).as("first look").isFalse();
        assertThat(acquire(file)).as("unchanged, but not for long enough").isFalse();
        Thread.sleep(400);
        assertThat(acquire(file)).as("unchanged for the period").isTrue();
    }

    @Test
    void aGrowingFileWithAnOldTimeIsWaitedFor() throws Exception {
        Path file = Files.writeString(dir.resolve("b.csv"), "Date and Time,Hourly\n");
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file, old); // as cp -p or rsync -t leave it

        assertThat(acquire(file)).isFalse();
        Thread.sleep(400);
        Files.writeString(file, "2025-01-01T00:00:00Z,1.5\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, old);
        assertThat(acquire(file)).as("the size changed").isFalse();
        Thread.sleep(400);
        assertThat(acquire(file)).isTrue();
    }

    @Test
    void manyFilesBecomeStableTogether() throws Exception {
        Path[] files = new Path[20];
        for (int i = 0; i < files.length; i++) {
            files[i] = Files.writeString(dir.resolve("f" + i + ".csv"), "x\n");
            assertThat(acquire(files[i])).isFalse();
        }
        Thread.sleep(400);
        for (Path f : files) {
            assertThat(acquire(f))
                    .as("one period for all of them, not one each")
                    .isTrue();
        }
    }

    @Test
    void aFileRenamedIntoTheFolderIsTakenAtTheNextLookWhileOneWrittenInPlaceWaits() throws Exception {
        StableFileReadLock slow = new StableFileReadLock(60_000);
        Path tmp = Files.writeString(dir.resolve("r.csv.tmp"), "Date and Time,Hourly\n");
        Thread.sleep(20); // the rename comes after the last write, as with any writer
        Path renamed = Files.move(tmp, dir.resolve("r.csv"));
        Path inPlace = Files.writeString(dir.resolve("w.csv"), "Date and Time,Hourly\n");

        assertThat(acquire(slow, renamed)).as("first look").isFalse();
        assertThat(acquire(slow, inPlace)).as("first look").isFalse();
        Thread.sleep(StableFileReadLock.SETTLE_MILLIS + 20);
        assertThat(acquire(slow, renamed))
                .as("renamed when done: taken without waiting a minute")
                .isTrue();
        assertThat(acquire(slow, inPlace))
                .as("written in place: waits for stability")
                .isFalse();
    }

    @Test
    void filesRenamedRightAfterTheirLastWriteAreTakenAtTheNextLookThoughTheirTimesAreEqual() throws Exception {
        WholeArrivals arrivals = new WholeArrivals();
        try {
            arrivals.watch(dir);
            StableFileReadLock slow = new StableFileReadLock(60_000, null, arrivals);
            StableFileReadLock timesOnly = new StableFileReadLock(60_000);
            // no pause between a write and its rename: most fall in one tick of the kernel's clock (4 ms here)
            List<Path> renamed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                renamed.add(Files.move(
                        Files.writeString(dir.resolve(i + ".csv.tmp"), "Date and Time,Hourly\n"),
                        dir.resolve(i + ".csv")));
            }
            Path inPlace = Files.writeString(dir.resolve("in-place.csv"), "Date and Time,Hourly\n");
            Path renamedThenWritten = Files.move(
                    Files.writeString(dir.resolve("more.csv.tmp"), "Date and Time,Hourly\n"), dir.resolve("more.csv"));
            Files.writeString(renamedThenWritten, "2025-01-01T00:00:00Z,1.5\n", StandardOpenOption.APPEND);
            Path empty = Files.createFile(dir.resolve("empty.csv")); // created in place, nothing written yet
            List<Path> all = new ArrayList<>(renamed);
            all.addAll(List.of(inPlace, renamedThenWritten, empty));
            for (Path f : all) {
                assertThat(acquire(slow, f))
                        .as("first look at " + f.getFileName())
                        .isFalse();
                assertThat(acquire(timesOnly, f)).isFalse();
            }
            Thread.sleep(StableFileReadLock.SETTLE_MILLIS + 20);

            for (Path f : renamed) {
                boolean sameTick = Files.getLastModifiedTime(f).toMillis()
                        == ((FileTime) Files.getAttribute(f, "unix:ctime")).toMillis();
                assertThat(acquire(slow, f))
                        .as(f.getFileName() + " arrived whole by a rename: taken without waiting a minute")
                        .isTrue();
                if (sameTick) { // what the events are for: by its times alone, such a file waits
                    assertThat(acquire(timesOnly, f))
                            .as(f.getFileName() + " by its times")
                            .isFalse();
                }
            }
            assertThat(acquire(slow, inPlace)).as("written in place: waits").isFalse();
            assertThat(acquire(slow, renamedThenWritten))
                    .as("written after its arrival: waits")
                    .isFalse();
            assertThat(acquire(slow, empty))
                    .as("created empty in place: its writer may not have begun")
                    .isFalse();
        } finally {
            arrivals.stop();
        }
    }

    @Test
    void aFileClaimedByOneReplicaIsNotTakenByAnotherEvenAfterItsFailedAttempt() throws Exception {
        MemoryIdempotentRepository shared = new MemoryIdempotentRepository(); // stands in for file_claim
        shared.start();
        StableFileReadLock one = new StableFileReadLock(0, shared);
        StableFileReadLock other = new StableFileReadLock(0, shared);
        Path file = Files.writeString(dir.resolve("claimed.csv"), "x\n");
        acquire(one, file);
        acquire(other, file);
        Thread.sleep(20);

        assertThat(acquire(one, file)).isTrue();
        assertThat(acquire(other, file)).as("claimed by the first").isFalse();
        // Camel "releases" the lock of a file whose acquisition failed: that must not free the first one's claim
        other.releaseExclusiveReadLockOnAbort(null, genericFile(file), new DefaultExchange(new DefaultCamelContext()));
        acquire(other, file);
        Thread.sleep(20);
        assertThat(acquire(other, file)).as("still claimed by the first").isFalse();

        one.releaseExclusiveReadLockOnCommit(null, genericFile(file), new DefaultExchange(new DefaultCamelContext()));
        assertThat(shared.contains(file.toAbsolutePath().toString()))
                .as("released by its holder")
                .isFalse();
    }

    @Test
    void aFileThatDisappearedIsNotTaken() throws Exception {
        Path file = Files.writeString(dir.resolve("c.csv"), "x\n");
        assertThat(acquire(file)).isFalse();
        Files.delete(file);
        Thread.sleep(400);
        assertThat(acquire(file)).isFalse();
    }

    private boolean acquire(Path path) throws Exception {
        return acquire(lock, path);
    }

    private static boolean acquire(StableFileReadLock lock, Path path) throws Exception {
        return lock.acquireExclusiveReadLock(null, genericFile(path), new DefaultExchange(new DefaultCamelContext()));
    }

    private static GenericFile<File> genericFile(Path path) {
        GenericFile<File> file = new GenericFile<>();
        file.setAbsoluteFilePath(path.toAbsolutePath().toString());
        file.setFile(path.toFile());
        return file;
    }
}
