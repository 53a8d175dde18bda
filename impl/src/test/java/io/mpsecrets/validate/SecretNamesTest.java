package io.mpsecrets.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.api.backend.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which property names say they hold a secret; any name a config may hold is answered, none throws. */
class SecretNamesTest {

    private final SecretNames names = SecretNames.read(new Settings(name -> Optional.empty()));

    @Test
    void theLastPartOrTheLastTwoJoinedNameASecret() {
        assertThat(names.matches("db.password")).isTrue();
        assertThat(names.matches("stripe.api-key")).isTrue();
        assertThat(names.matches("app.api.key")).isTrue();
        assertThat(names.matches("oauth.client-secret")).isTrue();
        assertThat(names.matches("token.ttl")).isFalse();
        assertThat(names.matches("cache.key")).isFalse();
        assertThat(names.matches("%prod.db.password"))
                .as("a profile's copy is checked as the property")
                .isFalse();
    }

    /** Quarkus' config holds names of dots alone; the validator met one at start-up and threw. */
    @Test
    void namesWithEmptyPartsAreAnsweredNotThrown() {
        for (String name : new String[] {"", ".", "..", "a.", ".password", "db..password"}) {
            assertThat(names.matches(name)).as(name).isEqualTo(name.endsWith("password"));
        }
    }

    @Test
    void exemptPropertiesAndOtherWordsAreConfigurable() {
        SecretNames configured = SecretNames.read(new Settings(name -> Optional.ofNullable(Map.of(
                        "mpsecrets.validate.secret-names", "pin",
                        "mpsecrets.validate.not-secrets", "legacy.pin")
                .get(name))));
        assertThat(configured.matches("hsm.pin")).isTrue();
        assertThat(configured.matches("legacy.pin")).isFalse();
        assertThat(configured.matches("db.password")).isFalse();
    }
}
