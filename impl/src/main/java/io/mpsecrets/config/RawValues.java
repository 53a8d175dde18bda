package io.mpsecrets.config;

import io.mpsecrets.backend.Backends;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.runtime.SecretReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Values as the config sources hold them, before any decryption or fetch: what tools that must not resolve
 * secrets (validation, the inventory, the fail-closed check) look at.
 */
public final class RawValues {

    /**
     * How deep {@code ${...}} expressions may nest in a value mp-secrets hands on to be expanded. SmallRye's parser
     * recurses once per level, so 5,000 levels end in a StackOverflowError; no configuration nests more than a few.
     */
    public static final int MAX_NESTING = 64;

    private RawValues() {}

    /** How deep {@code ${...}} expressions nest in {@code raw}, counting every {@code ${} (escaped or not). */
    public static int nesting(String raw) {
        int depth = 0;
        int deepest = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '{') {
                deepest = Math.max(deepest, ++depth);
                i++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
        }
        return deepest;
    }

    /**
     * The highest-ordinal source's {@code %profile.name} for the active profiles (the last profile wins), else its
     * {@code name}.
     */
    public static Optional<String> raw(Config config, String property) {
        List<String> names = new ArrayList<>();
        for (String profile : profiles(config)) {
            names.add("%" + profile + "." + property);
        }
        names.add(property);
        for (String name : names) {
            for (ConfigSource source : config.getConfigSources()) {
                // The portable source answers with plaintext; the raw value is the one below it.
                String value = source instanceof PortableSecretsSource ? null : source.getValue(name);
                if (value != null) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a property's value comes from a config file or another source of the application's, rather than the
     * environment or a system property (where a deployment puts secrets at run time, and where names like
     * {@code javax.net.ssl.trustStorePassword} are the JVM's).
     */
    public static boolean fromConfigFile(Config config, String property) {
        for (ConfigSource source : config.getConfigSources()) {
            if (!(source instanceof PortableSecretsSource) && source.getValue(property) != null) {
                String kind = source.getClass().getSimpleName() + " " + source.getName();
                return !(kind.contains("EnvConfigSource") || kind.contains("SysPropConfigSource"));
            }
        }
        return false;
    }

    private static List<String> profiles(Config config) {
        try {
            List<String> profiles = new ArrayList<>(
                    config.unwrap(io.smallrye.config.SmallRyeConfig.class).getProfiles());
            Collections.reverse(profiles);
            return profiles;
        } catch (IllegalArgumentException | NoClassDefFoundError e) {
            return List.of();
        }
    }

    /**
     * The store names a reference may use: the stores on the class path and those mp-secrets ships (which fail
     * clearly when their module is missing).
     */
    public static Predicate<String> stores(Backends backends) {
        return name -> backends.hasStore(name) || SecretReference.SHIPPED_STORES.contains(name);
    }

    /** An {@code ENC(...)} value, or a value that is one store reference {@code ${store::id}}. */
    public static boolean isSecretForm(String raw, Predicate<String> isStore) {
        return raw != null
                && (EncryptedValue.isEncryptedForm(raw)
                        || reference(raw, isStore).isPresent());
    }

    /**
     * Whether a raw value needs mp-secrets to be read correctly: an {@code ENC(...)} value (surrounding white space
     * ignored) or a value holding a {@code ${store::id}} reference to a store anywhere in it.
     */
    public static boolean needsMpSecrets(String raw, Predicate<String> isStore) {
        if (raw == null) {
            return false;
        }
        if (EncryptedValue.isEncryptedForm(raw)) {
            return true;
        }
        for (int start = raw.indexOf("${"); start >= 0; start = raw.indexOf("${", start + 2)) {
            boolean escaped = start > 0 && (raw.charAt(start - 1) == '\\' || raw.charAt(start - 1) == '$');
            int separator = raw.indexOf("::", start + 2);
            if (!escaped && separator > 0 && isStore.test(raw.substring(start + 2, separator))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The properties whose values need mp-secrets' interceptors ({@code ENC(...)} values, references to a store on
     * the class path or shipped by mp-secrets), sorted: what a config without them would hand out unread.
     */
    public static java.util.SortedSet<String> needingMpSecrets(Config config) {
        Predicate<String> isStore =
                stores(Backends.discover(Thread.currentThread().getContextClassLoader()));
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (needsMpSecrets(raw(config, name).orElse(null), isStore)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The store reference a whole value is, if it is one. */
    public static Optional<SecretReference> reference(String raw, Predicate<String> isStore) {
        String trimmed = raw.trim();
        if (!trimmed.startsWith("${") || !trimmed.endsWith("}") || trimmed.indexOf('}') != trimmed.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(SecretReference.parse(trimmed.substring(2, trimmed.length() - 1), isStore));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
