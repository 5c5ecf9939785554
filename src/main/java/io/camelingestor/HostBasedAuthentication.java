package io.camelingestor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and rewrites the authentication method of the embedded PostgreSQL's {@code pg_hba.conf}. Hand-written:
 * neither PostgreSQL nor zonky offers an API to change it (PostgreSQL only reads the file).
 */
final class HostBasedAuthentication {

    /** PostgreSQL 17's authentication methods (the column after the address, or after the user for local). */
    private static final Set<String> METHODS = Set.of(
            "trust",
            "reject",
            "scram-sha-256",
            "md5",
            "password",
            "gss",
            "sspi",
            "ident",
            "peer",
            "pam",
            "ldap",
            "radius",
            "cert",
            "bsd",
            "oauth");

    private HostBasedAuthentication() {}

    /** Whether any rule lets a client in without a password. */
    static boolean trusts(Path hba) throws IOException {
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            int method = methodField(fields(line));
            if (method >= 0 && fields(line)[method].equals("trust")) {
                return true;
            }
        }
        return false;
    }

    /** Every {@code trust} rule becomes {@code scram-sha-256}; the file is replaced atomically, owner-only. */
    static void requireScram(Path hba) throws IOException {
        List<String> rewritten = new ArrayList<>();
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            String[] fields = fields(line);
            int method = methodField(fields);
            if (method >= 0 && fields[method].equals("trust")) {
                fields[method] = "scram-sha-256";
                rewritten.add(String.join("\t", fields));
            } else {
                rewritten.add(line);
            }
        }
        Set<PosixFilePermission> ownerOnly =
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Path temporary = Files.createTempFile(
                hba.getParent(), "pg_hba", ".tmp", PosixFilePermissions.asFileAttribute(ownerOnly));
        try {
            Files.write(temporary, rewritten, StandardCharsets.UTF_8);
            Files.move(temporary, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String[] fields(String line) {
        int comment = line.indexOf('#');
        String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
        return content.isEmpty() ? new String[0] : content.split("\\s+");
    }

    /** The index of the method field of a rule, or -1 for a blank line, a comment or an include directive. */
    private static int methodField(String[] fields) {
        if (fields.length == 0 || fields[0].startsWith("include")) {
            return -1;
        }
        for (int i = fields[0].equals("local") ? 3 : 4; i < fields.length; i++) {
            if (METHODS.contains(fields[i])) {
                return i;
            }
        }
        return -1;
    }
}
