package io.camelingestor.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Publishing a fully written (hidden) file into an inbound folder under its real name. */
final class FileUploadsHelper {

    private FileUploadsHelper() {}

    /**
     * Makes {@code hidden} appear as {@code target} at once and never over an existing file: a hard link
     * fails when the name is taken (a rename would silently replace a file being ingested), then the hidden
     * name goes.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code target} exists
     */
    static void publish(Path hidden, Path target) throws IOException {
        Files.createLink(target, hidden);
        Files.delete(hidden);
    }
}
