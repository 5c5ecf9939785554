package io.camelingestor.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelingestor.core.Secrets;
import io.camelingestor.ingest.reject.DeadLetters;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void secretsInMessagesAreMasked() {
        assertThat(Secrets.mask("GET https://api.example/v1?device=7&password=hunter2&token=abc123 failed"))
                .doesNotContain("hunter2")
                .doesNotContain("abc123")
                .contains("device=7");
        assertThat(Secrets.mask("{\"email\": \"a@b.c\", \"password\": \"hunter2\"}"))
                .doesNotContain("hunter2")
                .contains("a@b.c");
        assertThat(Secrets.mask("connect to postgresql://ingestor:hunter2@db:5432/x refused"))
                .isEqualTo("connect to postgresql://ingestor:xxxxxx@db:5432/x refused");
        assertThat(Secrets.mask("no secret here: 12 rows")).isEqualTo("no secret here: 12 rows");
    }

    @Test
    void deadLetterMessagesAreMasked() {
        var failure = new RuntimeException(
                "wrapper", new java.io.IOException("HTTP 500 from https://u:hunter2@api.example?accessToken=s3cr3t"));
        assertThat(DeadLetters.describe(failure))
                .startsWith("failed after retries: IOException: HTTP 500 from https://u:xxxxxx@api.example")
                .doesNotContain("hunter2")
                .doesNotContain("s3cr3t");
    }
}
