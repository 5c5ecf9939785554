package io.camelingestor.ingest.read;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.InputStreamStatistics;
import org.apache.poi.openxml4j.util.ZipFileZipEntrySource;
import org.apache.poi.openxml4j.util.ZipSecureFile;

/**
 * A workbook's archive opened without following a link ({@code NOFOLLOW_LINKS}): POI's {@link ZipSecureFile}
 * opens its file by name only, following a link that replaced the file after the inbound guard looked at it.
 * Its zip bomb guard goes with it, so it is kept here with POI's own settings ({@link
 * ZipSecureFile#getMinInflateRatio()}, {@link ZipSecureFile#getGraceEntrySize()}, {@link
 * ZipSecureFile#getMaxEntrySize()}) and POI's message ("Zip bomb detected!"), on the inflating streams'
 * statistics: written by hand because POI sets its guard's entry only from {@code ZipSecureFile}.
 */
final class NoFollowZipEntrySource extends ZipFileZipEntrySource {

    private NoFollowZipEntrySource(ZipFile zip) {
        super(zip);
    }

    /** The archive of {@code file}, never through a symbolic link (that fails with an IOException). */
    static NoFollowZipEntrySource open(Path file) throws IOException {
        SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            return new NoFollowZipEntrySource(
                    ZipFile.builder().setSeekableByteChannel(channel).get());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public InputStream getInputStream(ZipArchiveEntry entry) throws IOException {
        InputStream in = super.getInputStream(entry);
        return in instanceof InputStreamStatistics ? new RatioGuard(in, entry.getName()) : in;
    }

    /** POI's ZipArchiveThresholdInputStream check: expanded size, then the compressed-to-expanded ratio. */
    private static final class RatioGuard extends FilterInputStream {
        private final String entry;

        RatioGuard(InputStream in, String entry) {
            super(in);
            this.entry = entry;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            check();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            check();
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            check();
            return skipped;
        }

        private void check() throws IOException {
            InputStreamStatistics statistics = (InputStreamStatistics) in;
            long expanded = statistics.getUncompressedCount();
            long compressed = statistics.getCompressedCount();
            if (expanded > ZipSecureFile.getMaxEntrySize()) {
                throw new IOException("Zip bomb detected! The entry " + entry + " expands beyond "
                        + ZipSecureFile.getMaxEntrySize() + " bytes");
            }
            if (expanded <= ZipSecureFile.getGraceEntrySize()) {
                return;
            }
            if ((double) compressed / expanded < ZipSecureFile.getMinInflateRatio()) {
                throw new IOException("Zip bomb detected! The entry " + entry + " expands more than "
                        + Math.round(1 / ZipSecureFile.getMinInflateRatio()) + " times its compressed size ("
                        + compressed + " bytes to " + expanded + " so far)");
            }
        }
    }
}
