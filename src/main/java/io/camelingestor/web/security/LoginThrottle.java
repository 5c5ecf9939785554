package io.camelingestor.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Slows down guessing passwords: counts wrong passwords per (account, client address), from Spring Security's
 * authentication events, and refuses a login attempt of a throttled pair with 429 and {@code Retry-After}
 * before its password is checked (so a flood costs no password hashing). Bounded in time
 * ({@link LoginThrottleProperties#maxDelay()}) and in memory (at most {@value #MAX_TRACKED} pairs); keyed by
 * address as well as account, so that failures from one address never lock the account out of another.
 *
 * <p>Written by hand: Spring Security has no login throttling of its own.
 */
class LoginThrottle extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant blockedUntil) {}

    private final LoginThrottleProperties limits;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(LoginThrottleProperties limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @EventListener
    void failed(AuthenticationFailureBadCredentialsEvent event) {
        String address = address(event.getAuthentication().getDetails());
        String key = key(String.valueOf(event.getAuthentication().getPrincipal()), address);
        if (failures.size() >= MAX_TRACKED) {
            Instant now = clock.instant();
            failures.values()
                    .removeIf(f -> f.blockedUntil() == null || f.blockedUntil().isBefore(now));
            if (failures.size() >= MAX_TRACKED) {
                failures.clear(); // a flood of distinct pairs: forget rather than grow
            }
        }
        Failures next = failures.merge(key, new Failures(1, null), (before, one) -> {
            int count = before.count() + 1;
            return new Failures(count, blockedUntil(count));
        });
        if (next.blockedUntil() != null) {
            log.warn(
                    "{} wrong passwords in a row for '{}' from {}: refused until {}",
                    next.count(),
                    event.getAuthentication().getPrincipal(),
                    address,
                    next.blockedUntil());
        }
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        failures.remove(key(
                event.getAuthentication().getName(),
                address(event.getAuthentication().getDetails())));
    }

    private Instant blockedUntil(int count) {
        int over = count - limits.failuresAllowed();
        if (over < 0) {
            return null;
        }
        Duration delay = limits.firstDelay().multipliedBy(1L << Math.min(over, 20));
        if (delay.compareTo(limits.maxDelay()) > 0) {
            delay = limits.maxDelay();
        }
        return clock.instant().plus(delay);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long seconds = secondsBlocked(request);
        if (seconds > 0) {
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(seconds));
            response.setContentType("application/json");
            response.getWriter()
                    .write("{\"error\":\"too many failed logins\",\"detail\":\"too many wrong passwords for this"
                            + " account from this address: try again in " + seconds + " s\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** How long the account this request tries to log in as is still refused from its address, or 0. */
    private long secondsBlocked(HttpServletRequest request) {
        String account = attemptedAccount(request);
        if (account == null) {
            return 0;
        }
        Failures seen = failures.get(key(account, request.getRemoteAddr()));
        Instant now = clock.instant();
        if (seen == null || seen.blockedUntil() == null || !seen.blockedUntil().isAfter(now)) {
            return 0;
        }
        return Math.max(1, Duration.between(now, seen.blockedUntil()).toSeconds() + 1);
    }

    /**
     * The throttle for an endpoint that answers anonymous callers too (health): a throttled account's
     * credentials are dropped, unchecked, and the request goes on as an anonymous one instead of getting 429.
     */
    OncePerRequestFilter withoutRefusing() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                chain.doFilter(secondsBlocked(request) > 0 ? withoutCredentials(request) : request, response);
            }
        };
    }

    private static HttpServletRequest withoutCredentials(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return "Authorization".equalsIgnoreCase(name) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return "Authorization".equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }
        };
    }

    /** The account a request tries to log in as (HTTP Basic, or the login form's POST), or null. */
    static String attemptedAccount(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            return request.getParameter("username");
        }
        return null;
    }

    private static String address(Object details) {
        return details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : "unknown";
    }

    private static String key(String account, String address) {
        return account.toLowerCase(Locale.ROOT) + "\u0000" + address;
    }
}
