package io.camelingestor.web.security;

import static org.springframework.security.config.Customizer.withDefaults;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.authentication.configuration.AuthenticationConfiguration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * Who may do what: health is public (its details need a login); reading the API and the actuator, and looking at Hawtio, need
 * the viewer role; changing anything (replay, run a source, upload, Hawtio operations through Jolokia) needs
 * the admin role.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    InMemoryUserDetailsManager accounts(SecurityProperties properties, PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(Accounts.of(properties, encoder));
    }

    @Bean
    LoginThrottle loginThrottle(LoginThrottleProperties limits) {
        return new LoginThrottle(limits, Clock.systemUTC());
    }

    /** The throttle runs inside Spring Security's chain only, not a second time as a servlet filter of its own. */
    @Bean
    FilterRegistrationBean<LoginThrottle> loginThrottleNotAServletFilter(LoginThrottle throttle) {
        FilterRegistrationBean<LoginThrottle> registration = new FilterRegistrationBean<>(throttle);
        registration.setEnabled(false);
        return registration;
    }

    /**
     * Health is public: credentials are optional there. Right ones show the details; wrong ones (a probe with
     * a stale password) get the public status, as an anonymous caller does, not 401: an orchestrator or load
     * balancer must never take a running service for a dead one because of its own credentials. Wrong
     * passwords still count for {@link LoginThrottle}, and a throttled account's credentials are not checked
     * at all (the public status again), so health is no faster way to guess a password than any other.
     */
    @Bean
    @Order(1)
    SecurityFilterChain publicHealth(
            HttpSecurity http, LoginThrottle loginThrottle, AuthenticationConfiguration authentication)
            throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(
                        paths.matcher(HttpMethod.GET, "/actuator/health/**"),
                        paths.matcher(HttpMethod.HEAD, "/actuator/health/**")))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                // built with the authentication manager only, the filter ignores a failure: the request goes
                // on as an anonymous one (httpBasic() would answer 401)
                .addFilterAt(
                        new BasicAuthenticationFilter(authentication.getAuthenticationManager()),
                        BasicAuthenticationFilter.class)
                .addFilterBefore(loginThrottle.withoutRefusing(), BasicAuthenticationFilter.class)
                .csrf(csrf -> csrf.disable()) // GET and HEAD only: nothing to protect
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain securityFilterChain(HttpSecurity http, LoginThrottle loginThrottle) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers("/error")
                        .permitAll()
                        // a viewer may look at Hawtio; what it may send through Jolokia is read-only (see
                        // JolokiaRestrictor, which Jolokia asks about each request it parses); Hawtio's own POSTs
                        // are Jolokia requests
                        .requestMatchers(
                                "/actuator/hawtio", "/actuator/hawtio/**", "/actuator/jolokia", "/actuator/jolokia/**")
                        .hasRole(Accounts.VIEWER)
                        .requestMatchers(HttpMethod.GET, "/api/**", "/actuator/**")
                        .hasRole(Accounts.VIEWER)
                        .anyRequest()
                        .hasRole(Accounts.ADMIN))
                .formLogin(withDefaults())
                .httpBasic(withDefaults())
                // Hawtio's Jolokia POSTs carry the token from this cookie; the API is for clients sending
                // their credentials with each request (HTTP Basic), which a cross-site form cannot do
                .csrf(csrf -> csrf.csrfTokenRepository(csrfCookie())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(SecurityConfiguration::authenticatedByBasicAlone))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class)
                // repeated wrong passwords: refused before their password is checked (LoginThrottle)
                .addFilterBefore(loginThrottle, UsernamePasswordAuthenticationFilter.class);
        return http.build();
    }

    /**
     * An API request that can only be authenticated by its HTTP Basic header: it carries one and no session
     * (cookie or URL). Such a request is either authenticated by the header or refused with 401, so it needs
     * no CSRF token. With a session, any {@code Authorization} header is ignored here: Spring Security does not
     * check a Basic header naming the session's own user again, so a bogus one would ride on the session.
     */
    static boolean authenticatedByBasicAlone(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return request.getRequestURI().startsWith("/api/")
                && header != null
                && header.regionMatches(true, 0, "Basic ", 0, 6)
                && request.getRequestedSessionId() == null;
    }

    /** The CSRF token's cookie, readable by Hawtio's scripts, never sent along with a request from elsewhere. */
    private static CookieCsrfTokenRepository csrfCookie() {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        return repository;
    }

    /**
     * Actuator {@code env} and {@code configprops} show values to the admin only, and even then never a
     * secret: Spring Boot 3 no longer masks by key name itself.
     */
    @Bean
    SanitizingFunction maskSecrets() {
        Pattern secretKey =
                Pattern.compile("(?i).*(password|passwd|secret|token|credential|api[-_.]?key|private[-_.]?key).*");
        Pattern secretInUri = Pattern.compile("(?i)(password=|://[^:/@]+:)[^&@;]*");
        return data -> {
            if (data.getValue() == null) {
                return data;
            }
            if (secretKey.matcher(data.getKey()).matches()) {
                return data.withValue(SanitizableData.SANITIZED_VALUE);
            }
            String text = String.valueOf(data.getValue());
            String masked = secretInUri.matcher(text).replaceAll("$1" + SanitizableData.SANITIZED_VALUE);
            return masked.equals(text) ? data : data.withValue(masked);
        };
    }
}
