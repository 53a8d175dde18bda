package io.mpsecrets.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.backend.Backends;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which mpsecrets.* names mean something, in every spelling a config source may use. */
class KnownSettingsTest {

    private final KnownSettings known =
            KnownSettings.of(Backends.discover(getClass().getClassLoader()));

    @Test
    void theCoresTheStoresAndTheDeclaredBackendSettingsAreKnownInAnySpelling() {
        assertThat(known.known("mpsecrets.cache.ttl")).isTrue();
        assertThat(known.known("MPSECRETS_CACHE_TTL"))
                .as("an environment variable")
                .isTrue();
        assertThat(known.known("%prod.mpsecrets.rotation.grace"))
                .as("a profile's")
                .isTrue();
        assertThat(known.known("mpsecrets.file.dir"))
                .as("declared by the file store")
                .isTrue();
        assertThat(known.known("mpsecrets.file.ttl")).as("every store has it").isTrue();
        assertThat(known.known("mpsecrets.env.secrets.db"))
                .as("a prefixed listing")
                .isTrue();
        assertThat(known.known("MPSECRETS_KMS_LOCAL_KEYRING")).isTrue();
        assertThat(known.known("mpsecrets.secret-class.critical.rotate-days")).isTrue();
        assertThat(known.known("mpsecrets.file.directory")).isFalse();
        assertThat(known.known("mpsecrets.consul.address"))
                .as("no such backend on the class path")
                .isFalse();
    }

    @Test
    void unknownNamesAreListedWithTheNearestKnownOne() {
        List<KnownSettings.Unknown> unknown = known.unknown(List.of(
                "mpsecrets.cache.ttl", "db.password", "MPSECRETS_CACHE_MAX_STAEL", "mpsecrets.kms.local.key-ring"));
        assertThat(unknown)
                .containsExactly(
                        new KnownSettings.Unknown(
                                "MPSECRETS_CACHE_MAX_STAEL", Optional.of("mpsecrets.cache.max-stale")),
                        new KnownSettings.Unknown(
                                "mpsecrets.kms.local.key-ring", Optional.of("mpsecrets.kms.local.keyring")));
        assertThat(known.nearest("mpsecrets.zzzzzzzzzzzzzzzzzzzzzz"))
                .as("nothing close")
                .isEmpty();
    }
}
