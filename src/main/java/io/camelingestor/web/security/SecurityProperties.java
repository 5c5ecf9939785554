package io.camelingestor.web.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The accounts that may log in ({@code ingestor.security.*}). Passwords come from the environment
 * ({@code INGESTOR_SECURITY_PASSWORD}, {@code INGESTOR_SECURITY_VIEWER_PASSWORD}); there is no default password.
 *
 * @param username the admin account (role {@code admin}: everything, including replay, upload and Hawtio)
 * @param password its password; when unset a random one is generated and printed once at start
 * @param viewerUsername the read-only account (role {@code viewer})
 * @param viewerPassword its password; when unset there is no viewer account
 */
@ConfigurationProperties("ingestor.security")
public record SecurityProperties(
        @DefaultValue("admin") String username,
        String password,
        @DefaultValue("viewer") String viewerUsername,
        String viewerPassword) {}
