package io.camelingestor.web.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a viewer look at Hawtio without changing anything: a Jolokia request from a user without the admin role
 * may only read, list, search, ask the version or execute an operation that only answers ({@code canInvoke},
 * {@code dump...}, {@code get...}, ...); other operations (stop a route, ...), {@code write} and the rest are
 * refused with 403. Written by hand: Jolokia's own restrictors know no users, and Hawtio's role-based
 * access needs a JAAS login, which Spring Security replaces here.
 */
class JolokiaReadOnlyForViewers extends OncePerRequestFilter {

    private static final Set<String> READ_ONLY = Set.of("read", "list", "search", "version");
    // operations that only answer (Hawtio asks canInvoke; its Camel tab reads statistics and route sources
    // through dump...AsXml operations); anything else (stop, suspend, reset, gc, ...) needs the admin role
    private static final Pattern READING_OPERATION =
            Pattern.compile("(canInvoke|dump|get|list|is|has|browse|count|explain|find)([A-Z(].*)?");
    private static final int MAX_BODY = 1 << 20;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.startsWith("/actuator/jolokia") || path.startsWith("/actuator/hawtio/jolokia"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        boolean admin =
                user != null && user.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (admin) {
            chain.doFilter(request, response);
            return;
        }
        if ("GET".equals(request.getMethod())) {
            String path = request.getRequestURI().replaceFirst("^.*/jolokia/?", "");
            String type = path.isEmpty() ? "version" : path.split("/", 2)[0].toLowerCase(Locale.ROOT);
            if (READ_ONLY.contains(type)) {
                chain.doFilter(request, response);
            } else {
                refuse(response, type);
            }
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        String refused = body.length > MAX_BODY ? "request too large" : refusedType(body);
        if (refused != null) {
            refuse(response, refused);
            return;
        }
        chain.doFilter(new CachedBody(request, body), response);
    }

    /** The first request type (of a single or bulk request) a viewer may not send, or null. */
    private String refusedType(byte[] body) {
        JsonNode requests;
        try {
            requests = json.readTree(body);
        } catch (IOException e) {
            return "unreadable request";
        }
        if (requests == null) {
            return "empty request";
        }
        for (JsonNode request :
                requests.isArray() ? requests : json.createArrayNode().add(requests)) {
            String type = request.path("type").asText("").toLowerCase(Locale.ROOT);
            boolean readingExec = "exec".equals(type)
                    && READING_OPERATION
                            .matcher(request.path("operation").asText(""))
                            .matches();
            if (!READ_ONLY.contains(type) && !readingExec) {
                return type.isEmpty()
                        ? "request without type"
                        : type + " " + request.path("operation").asText("");
            }
        }
        return null;
    }

    private static void refuse(HttpServletResponse response, String type) throws IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/json");
        response.getWriter()
                .write("{\"error\":\"forbidden\",\"detail\":\"the viewer role may only read through Jolokia, not '"
                        + type.replaceAll("[^A-Za-z0-9 ().,-]", "") + "'\"}");
    }

    /** The request with its body, already read, readable again. */
    private static final class CachedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
