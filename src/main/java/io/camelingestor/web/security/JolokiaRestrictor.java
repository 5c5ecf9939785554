package io.camelingestor.web.security;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What a Jolokia request may do, decided on the request Jolokia has parsed (from the path, the {@code p}
 * parameter or a POST body alike) and on the Spring Security roles of the caller, whichever URL it came
 * through ({@code /actuator/jolokia} or Hawtio's {@code /actuator/hawtio/jolokia}, which forwards to it).
 * Jolokia creates this class itself ({@code management.endpoint.jolokia.config.restrictorClass}) and asks it
 * on the request's own thread, where Spring Security's context and the servlet request are set.
 *
 * <ul>
 *   <li>Everyone: {@code exec} and {@code write} only over POST (a link or an image cannot change anything;
 *       POSTs carry the CSRF token), and only from the service's own origin (a page from elsewhere cannot
 *       use a logged-in browser).
 *   <li>Viewer: {@code read}, {@code list}, {@code search}, {@code version}; no attribute that can hold a
 *       secret (the JVM's system properties and arguments, which hold {@code -D...password=} or
 *       {@code --...password=} when an operator passes one, or any attribute named like a secret); and
 *       {@code exec} only of the few operations Hawtio needs that only answer and cannot resolve placeholders
 *       (no {@code dumpHeap}, no {@code sendBody}, no {@code stop}).
 *   <li>Admin: everything else.
 * </ul>
 *
 * Written by hand because Jolokia's policy file (jolokia-access.xml) knows no users; Hawtio's role-based
 * restrictor needs a JAAS login, which Spring Security replaces here.
 */
public class JolokiaRestrictor implements Restrictor {

    private static final Set<RequestType> VIEWER_TYPES =
            Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION, RequestType.EXEC);

    /** Attributes a viewer never reads: they hold the command line and every -D value. */
    private static final Set<String> RUNTIME_SECRETS = Set.of("SystemProperties", "InputArguments");

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|passwd|secret|token|credential|api[-_.]?key|private[-_.]?key|env).*");

    /**
     * Camel operations a viewer may call (Hawtio's route diagram, source and statistics). The route dumps
     * only without arguments: their (boolean) variants resolve property placeholders, which may be secrets.
     */
    private static final Set<String> VIEWER_CAMEL_OPERATIONS = Set.of(
            "dumpRoutesAsXml()",
            "dumpRouteAsXml()",
            "dumpRoutesAsYaml()",
            "dumpRouteAsYaml()",
            "dumpRestsAsXml()",
            "dumpRoutesStatsAsXml(boolean,boolean)",
            "dumpRouteStatsAsXml(boolean,boolean)",
            "dumpRoutesStatsAsXml()",
            "dumpRouteStatsAsXml()",
            "dumpStepStatsAsXml(boolean)",
            // as Hawtio's route diagram calls them: by name, with (true, true); every overload only answers
            "dumpRoutesStatsAsXml",
            "dumpRouteStatsAsXml",
            "dumpStepStatsAsXml",
            "dumpRoutesCoverageAsXml()",
            "dumpRouteCoverageAsXml()");

    /** Hawtio's own questions ("may I call this?", the MBean tree with those answers). */
    private static final Pattern VIEWER_HAWTIO_OPERATION = Pattern.compile("(canInvoke|list)(\\(.*\\))?");

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return true; // which types each method may carry is decided in isTypeAllowed
    }

    /**
     * Jolokia 2.6 asks this only for {@code list}; {@code exec} and {@code write} are judged (method included)
     * in {@link #isOperationAllowed} and {@link #isAttributeWriteAllowed}, which it asks for every request.
     */
    @Override
    public boolean isTypeAllowed(RequestType type) {
        Caller caller = Caller.current();
        return caller != null && (caller.admin() || VIEWER_TYPES.contains(type));
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        Caller caller = Caller.current();
        if (caller == null) {
            return false;
        }
        return caller.admin() || !mayHoldSecret(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        Caller caller = Caller.current();
        return caller != null && caller.posted() && caller.admin();
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        Caller caller = Caller.current();
        if (caller == null || !caller.posted()) {
            return false; // over GET, a link or an image could run it with the browser's session
        }
        if (caller.admin()) {
            return true;
        }
        String domain = name.getDomain();
        if ("hawtio".equals(domain)) {
            return VIEWER_HAWTIO_OPERATION.matcher(operation).matches();
        }
        return "org.apache.camel".equals(domain) && VIEWER_CAMEL_OPERATIONS.contains(operation.replace(" ", ""));
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true; // who may connect is Spring Security's business (login and roles)
    }

    /**
     * A browser sends {@code Origin} on every cross-site POST and script request: only the service's own origin
     * is answered (and named in CORS headers), so that a page elsewhere cannot use a logged-in browser.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean strictCheck) {
        if (origin == null || origin.isBlank()) {
            return true; // not a browser's cross-origin request (curl, Hawtio's same-origin GETs)
        }
        Caller caller = Caller.current();
        return caller != null && sameOrigin(origin, caller.request());
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return false;
    }

    /** Whether the current request's user is the admin (false outside a request). */
    static boolean callerIsAdmin() {
        Caller caller = Caller.current();
        return caller != null && caller.admin();
    }

    static boolean mayHoldSecret(ObjectName name, String attribute) {
        if (attribute == null) {
            return false;
        }
        if ("java.lang".equals(name.getDomain())
                && "Runtime".equals(name.getKeyProperty("type"))
                && RUNTIME_SECRETS.contains(attribute)) {
            return true;
        }
        return SECRET_NAME.matcher(attribute).matches();
    }

    static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return scheme.equals(request.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost() != null
                    && uri.getHost().equalsIgnoreCase(request.getServerName())
                    && port == request.getServerPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The current request and whether its user has the admin role; null outside a request (refused). */
    private record Caller(HttpServletRequest request, boolean admin) {

        /** Sent as a POST, which a link or an image cannot do and which carries the CSRF token. */
        boolean posted() {
            return "POST".equals(request.getMethod());
        }

        static Caller current() {
            if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
                return null;
            }
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            if (user == null || !user.isAuthenticated()) {
                return null;
            }
            boolean admin =
                    user.getAuthorities().stream().anyMatch(a -> ("ROLE_" + Accounts.ADMIN).equals(a.getAuthority()));
            return new Caller(attributes.getRequest(), admin);
        }
    }
}
