package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UploadNamesTest {

    @Test
    void namesAreReducedToASafeVisibleFileName() {
        assertThat(UploadNames.sanitise("../../etc/passwd")).isEqualTo("passwd");
        assertThat(UploadNames.sanitise("..\\..\\windows\\data.csv")).isEqualTo("data.csv");
        assertThat(UploadNames.sanitise(".hidden.csv")).isEqualTo("hidden.csv");
        assertThat(UploadNames.sanitise("my file (1).csv")).isEqualTo("my_file__1_.csv");
        assertThat(UploadNames.sanitise("ενέργεια.csv", StandardCharsets.UTF_8)).isEqualTo("ενέργεια.csv");
        assertThat(UploadNames.sanitise("cafe\u0301.csv", StandardCharsets.UTF_8))
                .isEqualTo("caf\u00e9.csv");
        assertThat(UploadNames.sanitise("/abs/path/a-b_c.xlsx")).isEqualTo("a-b_c.xlsx");
    }

    @Test
    void whereFileNamesAreAsciiOnlyDifferentNamesStayApart() {
        String a = UploadNames.sanitise("αβγ.csv", StandardCharsets.US_ASCII);
        String b = UploadNames.sanitise("δεζ.csv", StandardCharsets.US_ASCII);
        assertThat(a).matches("___-[0-9a-f]{8}\\.csv");
        assertThat(b).matches("___-[0-9a-f]{8}\\.csv").isNotEqualTo(a);
        assertThat(UploadNames.sanitise("αβγ.csv", StandardCharsets.US_ASCII)).isEqualTo(a);
    }

    @Test
    void namesLongerThan200BytesAreRefusedAsTooLong() {
        assertThat(UploadNames.sanitise("n".repeat(196) + ".csv", StandardCharsets.UTF_8))
                .hasSize(200);
        for (String name : new String[] {"n".repeat(197) + ".csv", "α".repeat(99) + ".csv"}) {
            assertThatThrownBy(() -> UploadNames.sanitise(name, StandardCharsets.UTF_8))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("name too long (max 200 bytes");
        }
    }

    @Test
    void namesWithNothingUsableOrIgnoredByTheFoldersAreRefused() {
        for (String name : new String[] {"", "..", "../", "...", "x.tmp", "x.part", "x.csv.error.json", null}) {
            assertThatThrownBy(() -> UploadNames.sanitise(name))
                    .as(String.valueOf(name))
                    .isInstanceOf(ApiException.class);
        }
    }
}
