package io.mpsecrets.config;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.backend.Backends;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.runtime.MpSecretsSettings;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.runtime.StoreSettings;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * mp-secrets as a plain config source, for MicroProfile Config implementations that do not run SmallRye's
 * interceptors (Payara's). It has the highest ordinal, so the implementation asks it first for every property, and
 * it answers only where the value the other sources hold needs mp-secrets: an {@code ENC(...)} value, decrypted for
 * the property it is read as, or a value with {@code ${store::id}} references, each replaced by the store's current
 * value. For anything else it answers nothing, and the implementation reads the property from its own source as
 * usual. It reads the other sources itself, through the config it belongs to. Where it must read a setting through
 * the implementation (to have it expanded), it is absent for that one name on that thread while it does, and for
 * nothing else: a read that comes back in while it answers (an observer of an audit event, a converter, a
 * {@code Supplier}, a producer) is answered as any read is, with the plaintext or an error, never with the
 * ciphertext a lower source holds. Decryption, caching, audit and rotation are the same {@link SecretsRuntime} the
 * SmallRye path uses, and it answers {@link ConfigRegistry#LOOKUP} so that the CDI extension and the tools find that
 * runtime.
 *
 * <p>What differs from SmallRye, because it is the implementation's: {@code ${...}} expansion runs after this source
 * answers, so a plaintext is escaped the way {@link ExpansionEscaping a probe} showed the implementation unescapes
 * (or, where none does, a plaintext holding {@code \ $ { }} fails); a store cannot be a whole config source
 * ({@code mpsecrets.sources}), since the implementation asks for property names before any secret may be fetched;
 * and an empty plaintext fails, since an implementation that skips empty answers would hand out the lower source's
 * ciphertext in its place.
 */
final class PortableSecretsSource implements ConfigSource {

    static final String NAME = "mp-secrets (portable)";

    /** Above every other source, so that the implementation asks this one first. */
    static final int ORDINAL = Integer.MAX_VALUE;

    /**
     * The implementation's own settings, read while it builds the config, before this source could ask the config
     * for the other sources; never secrets.
     */
    private static final String IMPLEMENTATION_SETTINGS = "mp.config.";

    /** The names this source is reading through the implementation on a thread, for which it is absent. */
    private final ThreadLocal<Set<String>> readingThrough = new ThreadLocal<>();

    private final Supplier<Config> config;
    private final ClassLoader loader;
    private final Object lock = new Object();
    private volatile Config found;
    private volatile ConfigBinding binding;
    private volatile ExpansionEscaping escaping;
    private volatile RuntimeException failure;
    /** The thread building the runtime and the setting it is reading, so that a setting naming a secret is caught. */
    private Thread building;

    private String buildingSetting;

    PortableSecretsSource(Supplier<Config> config, ClassLoader loader) {
        this.config = config;
        this.loader = loader;
    }

    @Override
    public String getValue(String name) {
        String probe = ExpansionEscaping.probeAnswer(name);
        if (probe != null) {
            return probe;
        }
        if (name.startsWith(IMPLEMENTATION_SETTINGS) || isReadingThrough(name)) {
            return null;
        }
        return answer(name);
    }

    private boolean isReadingThrough(String name) {
        Set<String> names = readingThrough.get();
        return names != null && names.contains(name);
    }

    /**
     * Reads {@code name} through the implementation with this source absent for that name only: the implementation
     * takes it from the other sources and expands it, and an expression in it that names a secret property is
     * answered here as any read is.
     */
    private Optional<String> throughImplementation(String name) {
        Set<String> names = readingThrough.get();
        if (names == null) {
            names = new HashSet<>();
            readingThrough.set(names);
        }
        boolean added = names.add(name);
        try {
            return config().getOptionalValue(name, String.class);
        } finally {
            if (added) {
                names.remove(name);
            }
            if (names.isEmpty()) {
                readingThrough.remove();
            }
        }
    }

    private String answer(String name) {
        if (name.equals(ConfigRegistry.LOOKUP)) {
            return running().id();
        }
        String raw = raw(name);
        if (raw == null || !(EncryptedValue.isEncryptedForm(raw) || raw.indexOf("::") >= 0)) {
            return null;
        }
        return resolve(withoutProfile(name), raw, true);
    }

    /**
     * The value with its secrets in it, or null where it holds none of ours. Escaped for the implementation's
     * expansion when handed out; as it is for mp-secrets' own settings.
     */
    private String resolve(String property, String raw, boolean handOut) {
        String resolved;
        if (EncryptedValue.isEncryptedForm(raw)) {
            String plaintext = running().runtime().encrypted().plaintext(property, raw.strip());
            resolved = handOut ? escaped(property, plaintext, "") : plaintext;
        } else {
            resolved = ReferenceScanner.replace(property, raw, binding()::isStore, (reference, after) -> {
                String plaintext = running().runtime().stores().value(property, reference, storeSettings());
                return handOut ? escaped(property, plaintext, raw.substring(after)) : plaintext;
            });
            if (resolved == raw) {
                return null;
            }
        }
        if (handOut && resolved.isEmpty()) {
            throw new InvalidSecretValueException(
                    SecretRef.property(property),
                    "the value is empty, and a MicroProfile Config implementation may read an empty answer as "
                            + "none and hand out the next source's text in its place");
        }
        return resolved;
    }

    private String escaped(String property, String plaintext, String following) {
        switch (escaping()) {
            case RAW:
                return plaintext;
            case ESCAPED:
                if (plaintext.endsWith("\\")
                        && !following.isEmpty()
                        && ExpansionEscaping.special(following.charAt(0))) {
                    throw new MalformedValueException(
                            SecretRef.property(property),
                            "a secret ending in a backslash is followed by $, { or } in the value, which this "
                                    + "MicroProfile Config implementation would read as an escape");
                }
                return ExpansionEscaping.escape(plaintext);
            default:
                if (ExpansionEscaping.unsafe(plaintext)) {
                    throw new InvalidSecretValueException(
                            SecretRef.property(property),
                            "the secret holds \\, $, { or }, which this MicroProfile Config implementation's "
                                    + "${...} expansion would change (set mp.config.property.expressions.enabled"
                                    + "=false, or run on SmallRye Config)");
                }
                return plaintext;
        }
    }

    /** The highest-ordinal other source's value; an empty one counts as none, as implementations skip it. */
    private String raw(String name) {
        for (ConfigSource source : config().getConfigSources()) {
            if (!(source instanceof PortableSecretsSource)) {
                String value = source.getValue(name);
                if (value != null && !value.isEmpty()) {
                    return value;
                }
            }
        }
        return null;
    }

    /** {@code %profile.name} is read as {@code name}: an ENC value is bound to the property, not the profile. */
    private static String withoutProfile(String name) {
        int dot = name.indexOf('.');
        return name.startsWith("%") && dot > 1 ? name.substring(dot + 1) : name;
    }

    /**
     * A setting of a store (a Vault token, say), which may itself be a secret: resolved here, where this source is
     * absent from the config; otherwise as the implementation reads it, expansion included.
     */
    private Settings storeSettings() {
        return new Settings(name -> {
            String raw = raw(name);
            String resolved = raw == null ? null : resolve(withoutProfile(name), raw, false);
            return resolved != null ? Optional.of(resolved) : throughImplementation(name);
        });
    }

    /** A setting mp-secrets needs in order to decrypt, which cannot itself be encrypted or a reference. */
    private Optional<String> plainSetting(String name) {
        String raw = raw(name);
        if (raw != null && RawValues.needsMpSecrets(raw, binding()::isStore)) {
            throw new ConfigurationException(
                    name + " cannot be an ENC(...) value or a secret reference: mp-secrets needs it to decrypt");
        }
        if (building != Thread.currentThread()) {
            return throughImplementation(name);
        }
        String outer = buildingSetting;
        buildingSetting = name;
        try {
            return throughImplementation(name);
        } finally {
            buildingSetting = outer;
        }
    }

    private Config config() {
        Config current = found;
        if (current == null) {
            current = config.get();
            found = current;
        }
        return current;
    }

    private ConfigBinding binding() {
        ConfigBinding current = binding;
        if (current == null) {
            synchronized (lock) {
                if (binding == null) {
                    binding = ConfigRegistry.register(Backends.discover(loader));
                }
                current = binding;
            }
        }
        return current;
    }

    private ExpansionEscaping escaping() {
        ExpansionEscaping current = escaping;
        if (current == null) {
            current = ExpansionEscaping.of(probe(ExpansionEscaping.EXPRESSION_PROBE), probe(ExpansionEscaping.PROBE));
            escaping = current;
        }
        return current;
    }

    private String probe(String name) {
        try {
            return throughImplementation(name).orElse(null);
        } catch (RuntimeException e) {
            // An implementation that cannot read it (no escapes, say): the probe's answer is that nothing is known.
            return null;
        }
    }

    /** The binding with its runtime, built on first use; a runtime that cannot be built fails every secret read. */
    private ConfigBinding running() {
        ConfigBinding current = binding();
        if (current.runtime() != null) {
            return current;
        }
        synchronized (lock) {
            if (failure != null) {
                throw failure;
            }
            if (building == Thread.currentThread()) {
                // A setting read while the runtime is built expands to a secret property, which needs the runtime.
                throw new ConfigurationException((buildingSetting == null ? "a setting of mp-secrets" : buildingSetting)
                        + " refers through a ${...} expression to a property that is an ENC(...) value or holds a "
                        + "secret reference: mp-secrets needs its settings to decrypt, so they cannot be secrets");
            }
            if (current.runtime() == null) {
                building = Thread.currentThread();
                try {
                    MpSecretsSettings settings = MpSecretsSettings.read(this::plainSetting);
                    if (!new Settings(this::plainSetting)
                            .list(StoreSettings.SOURCES)
                            .isEmpty()) {
                        throw new ConfigurationException(StoreSettings.SOURCES + " needs SmallRye Config, which "
                                + "this server's MicroProfile Config is not; reference each secret as "
                                + "${store::name#field} instead");
                    }
                    current.runtime(SecretsRuntime.create(settings, current.backends(), this::plainSetting));
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                } finally {
                    building = null;
                }
            }
        }
        return current;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
