package io.camelingestor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UploadNamesTest {

    @Test
    void namesAreReducedToASafeVisibleFileName() {
        assertThat(UploadNames.sanitise("../../etc/passwd")).isEqualTo("passwd");
        assertThat(UploadNames.sanitise("..\\..\\windows\\data.csv")).isEqualTo("data.csv");
        assertThat(UploadNames.sanitise(".hidden.csv")).isEqualTo("hidden.csv");
        assertThat(UploadNames.sanitise("my file (1).csv")).isEqualTo("my_file__1_.csv");
        assertThat(UploadNames.sanitise("ενέργεια.csv")).isEqualTo("________.csv");
        assertThat(UploadNames.sanitise("/abs/path/a-b_c.xlsx")).isEqualTo("a-b_c.xlsx");
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
