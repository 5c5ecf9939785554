package io.camelingestor.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** No default password: without one configured, a random one is generated and printed once. */
@ExtendWith(OutputCaptureExtension.class)
class AccountsTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @Test
    void withoutAPasswordOneIsGeneratedAndPrintedOnce(CapturedOutput output) {
        var users = Accounts.of(new SecurityProperties("admin", null, "viewer", null), encoder);
        assertThat(users).hasSize(1); // no viewer without its password
        var matcher = java.util.regex.Pattern.compile("generated password for 'admin' for this run only: (\\S+)")
                .matcher(output.getAll());
        assertThat(matcher.find()).isTrue();
        String generated = matcher.group(1);
        assertThat(generated).hasSize(32);
        assertThat(matcher.find()).as("printed once").isFalse();
        assertThat(encoder.matches(generated, users.get(0).getPassword())).isTrue();
        assertThat(users.get(0).getAuthorities().toString()).contains("ROLE_ADMIN", "ROLE_VIEWER");

        var again = Accounts.of(new SecurityProperties("admin", " ", "viewer", null), encoder);
        assertThat(encoder.matches(generated, again.get(0).getPassword()))
                .as("random per start")
                .isFalse();
    }

    @Test
    void configuredPasswordsAreUsedAndNeverPrinted(CapturedOutput output) {
        var users =
                Accounts.of(new SecurityProperties("ops", "s3cret-from-env", "watcher", "v1ewer-from-env"), encoder);
        assertThat(users).extracting(u -> u.getUsername()).containsExactly("ops", "watcher");
        assertThat(encoder.matches("s3cret-from-env", users.get(0).getPassword()))
                .isTrue();
        assertThat(users.get(1).getAuthorities().toString())
                .contains("ROLE_VIEWER")
                .doesNotContain("ROLE_ADMIN");
        assertThat(output.getAll()).doesNotContain("s3cret-from-env").doesNotContain("v1ewer-from-env");
    }
}
