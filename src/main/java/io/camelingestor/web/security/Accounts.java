package io.camelingestor.web.security;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The admin and viewer accounts built from {@link SecurityProperties}. */
final class Accounts {

    static final String ADMIN = "ADMIN";
    static final String VIEWER = "VIEWER";

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Accounts() {}

    static List<UserDetails> of(SecurityProperties properties, PasswordEncoder encoder) {
        List<UserDetails> users = new ArrayList<>();
        String password = properties.password();
        if (password == null || password.isBlank()) {
            password = generatePassword();
            // printed once, as Spring Boot does for its own generated password: the operator needs it to log in
            log.warn(
                    "No ingestor.security.password (INGESTOR_SECURITY_PASSWORD) is set: generated password for"
                            + " '{}' for this run only: {}",
                    properties.username(),
                    password);
        }
        users.add(User.withUsername(properties.username())
                .password(encoder.encode(password))
                .roles(ADMIN, VIEWER)
                .build());
        if (properties.viewerPassword() != null && !properties.viewerPassword().isBlank()) {
            users.add(User.withUsername(properties.viewerUsername())
                    .password(encoder.encode(properties.viewerPassword()))
                    .roles(VIEWER)
                    .build());
        } else {
            log.info("No viewer account: set INGESTOR_SECURITY_VIEWER_PASSWORD to add the read-only account");
        }
        return users;
    }

    /** 24 random bytes, URL-safe Base64 (32 characters). */
    static String generatePassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
