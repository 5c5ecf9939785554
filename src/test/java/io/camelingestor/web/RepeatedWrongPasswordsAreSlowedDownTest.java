package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.IngestorIntegrationTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 10, finding 10: wrong passwords in a row are refused (429, no password check) per account and client
 * address, over real HTTP from two loopback addresses (127.0.0.2 plays the attacker, 127.0.0.1 the admin).
 */
class RepeatedWrongPasswordsAreSlowedDownTest extends IngestorIntegrationTest {

    private static final String ATTACKER = "127.0.0.2";
    private static final String OPERATOR = "127.0.0.1";

    @LocalServerPort
    int port;

    @Test
    void guessingIsRefusedAfterFiveFailuresButTheAdminStillLogsInFromElsewhere() throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(statusOf(ATTACKER, "admin:guess-" + attempt))
                    .as("attempt " + attempt)
                    .isEqualTo(401);
        }
        // five failures start the back-off: from then on even the right password is refused from there
        String refused = request(ATTACKER, Http.ADMIN);
        assertThat(refused).startsWith("HTTP/1.1 429");
        assertThat(refused).containsIgnoringCase("Retry-After:");
        long retryAfter = Long.parseLong(refused.replaceAll("(?is).*retry-after:\\s*(\\d+).*", "$1"));
        assertThat(retryAfter).isBetween(1L, 301L);
        // the admin, from another address, is not locked out
        assertThat(statusOf(OPERATOR, Http.ADMIN)).isEqualTo(200);
        // nor is the viewer from the attacker's address: the pair (account, address) is throttled
        assertThat(statusOf(ATTACKER, Http.VIEWER)).isEqualTo(200);
    }

    @Test
    void theLoginFormIsThrottledToo() throws Exception {
        String token = JolokiaChangesNothingForViewersOrOtherSitesTest.csrfToken(new Http(port), Http.VIEWER);
        String account = "nobody-" + newDeviceId();
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(formLogin(ATTACKER, account, "guess-" + attempt, token)).startsWith("HTTP/1.1 302");
        }
        assertThat(formLogin(ATTACKER, account, "guess-6", token)).startsWith("HTTP/1.1 429");
        // another account from the same address is not affected (its failure is answered as usual)
        assertThat(formLogin(ATTACKER, "other-" + newDeviceId(), "guess", token))
                .startsWith("HTTP/1.1 302")
                .contains("/login?error");
    }

    private int statusOf(String from, String credentials) throws Exception {
        return Integer.parseInt(request(from, credentials).substring(9, 12));
    }

    /** GET /api/batches with HTTP Basic, over a socket bound to the given loopback address; the whole answer. */
    private String request(String from, String credentials) throws Exception {
        String basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        return exchange(
                from,
                "GET /api/batches?size=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + basic
                        + "\r\nConnection: close\r\n\r\n");
    }

    private String formLogin(String from, String user, String password, String token) throws Exception {
        String body = "username=" + user + "&password=" + password + "&_csrf=" + token;
        return exchange(
                from,
                "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Cookie: XSRF-TOKEN=" + token + "\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body);
    }

    private String exchange(String from, String request) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(OPERATOR, port), 10_000);
            socket.setSoTimeout(90_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
