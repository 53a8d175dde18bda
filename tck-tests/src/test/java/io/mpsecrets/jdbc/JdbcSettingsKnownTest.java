package io.mpsecrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.backend.Backends;
import io.mpsecrets.runtime.KnownSettings;
import org.junit.jupiter.api.Test;

/**
 * The JDBC driver's settings are read from a datasource's properties, system properties or the environment, where an
 * application's config sees them too: the core must know every one of them (or it reports them as unknown), and the
 * driver refuses any other. The two lists live in modules that cannot see each other; this holds them together.
 */
class JdbcSettingsKnownTest {

    @Test
    void theCoreKnowsEverySettingOfTheDriver() {
        KnownSettings known = KnownSettings.of(Backends.discover(getClass().getClassLoader()));
        assertThat(JdbcSettings.NAMES)
                .isNotEmpty()
                .allSatisfy(name -> assertThat(known.known(name))
                        .as(name + " is known to the core")
                        .isTrue());
        assertThat(known.known("mpsecrets.jdbc.tll")).isFalse();
    }
}
