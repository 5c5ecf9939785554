package io.camelingestor.web.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How repeated wrong passwords are slowed down ({@code ingestor.security.login.*}), per account and client
 * address: after {@code failuresAllowed} failures in a row, that account is refused from that address (429,
 * without checking the password) for {@code firstDelay}, doubled at each further failure up to
 * {@code maxDelay}. Other addresses are not affected, so an attacker cannot lock the admin out; a success
 * clears the count.
 *
 * @param failuresAllowed wrong passwords in a row before the first delay
 * @param firstDelay the first delay
 * @param maxDelay the longest delay
 */
@ConfigurationProperties("ingestor.security.login")
public record LoginThrottleProperties(
        @DefaultValue("5") int failuresAllowed,
        @DefaultValue("1s") Duration firstDelay,
        @DefaultValue("5m") Duration maxDelay) {}
