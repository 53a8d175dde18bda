package io.mpsecrets.runtime;

import java.util.Locale;

/**
 * The names that configure mp-secrets or MicroProfile Config itself ({@code mpsecrets.*}, {@code mp.config.*},
 * {@code smallrye.config.*}, {@code config_ordinal}), in any of the spellings a config source may match them by
 * (dots, underscores, dashes, any case: {@code MPSECRETS_VAULT_ADDRESS}). A secret store never serves one: who may
 * write a secret is not who may write the configuration (docs/security.md).
 */
final class ConfigurationSettings {

    private static final String[] PREFIXES = {"mpsecrets.", "mp.config.", "smallrye.config."};

    private ConfigurationSettings() {}

    static boolean isOne(String property) {
        String normalised = property.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", ".");
        if (normalised.equals("mpsecrets") || normalised.equals("config.ordinal")) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (normalised.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
