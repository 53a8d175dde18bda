package io.mpsecrets.runtime;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.audit.AuditLog;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.backend.Backends;
import io.mpsecrets.cache.Ticker;
import io.mpsecrets.mask.SecretMask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * What mp-secrets holds for one application's config, in three parts: its {@link Auditor}, its
 * {@link EncryptedValues} and its {@link StoreSecrets}. Built with the config without touching a KMS or a store.
 * {@link #close()} (at application shutdown) stops the rotation watcher, zeroes data keys and store values and drops
 * plaintexts, after the reads under way have finished; a read that meets the close is refused once with a clear
 * {@code CLOSED} error, and a runtime used again afterwards starts over empty.
 */
public final class SecretsRuntime implements AutoCloseable {

    /** How long after the last value served a log line rebuilds the mask's matcher (a start-up's burst, once). */
    private static final Duration MASK_QUIET = Duration.ofSeconds(1);

    private final MpSecretsSettings settings;
    private final Backends backends;
    private final Auditor auditor;
    private final EncryptedValues encrypted;
    private final StoreSecrets stores;
    private final Gate gate;
    private final BackendStates backendStates;
    private final SecretCounts counts;
    private final SecretMask mask;
    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    private SecretsRuntime(
            MpSecretsSettings settings,
            Backends backends,
            Auditor auditor,
            EncryptedValues encrypted,
            StoreSecrets stores,
            Gate gate,
            BackendStates backendStates,
            SecretCounts counts,
            SecretMask mask) {
        this.settings = settings;
        this.backends = backends;
        this.auditor = auditor;
        this.encrypted = encrypted;
        this.stores = stores;
        this.gate = gate;
        this.backendStates = backendStates;
        this.counts = counts;
        this.mask = mask;
    }

    /** What this runtime has done since it was created (metrics report it). */
    public SecretCounts counts() {
        return counts;
    }

    /** What the application last saw of each store and KMS it uses (health checks read it). */
    public BackendStates backendStates() {
        return backendStates;
    }

    /**
     * A runtime for {@code settings}, using the backends {@code backends} found.
     *
     * @param kmsSettings reads the settings of a KMS when it is first used ({@code mpsecrets.kms.<name>.*})
     * @throws io.mpsecrets.api.exception.ConfigurationException when {@code mpsecrets.kms} names a KMS that is not
     *         on the class path
     */
    public static SecretsRuntime create(
            MpSecretsSettings settings,
            Backends backends,
            Function<String, Optional<String>> kmsSettings,
            Map<String, String> environment,
            Ticker ticker) {
        MpSecretsVersion.announce(backends);
        Gate gate = new Gate();
        SecretMask mask = settings.maskLogs()
                ? new SecretMask(
                        settings.maskMinLength(),
                        settings.rotationGrace(),
                        MASK_QUIET,
                        ticker,
                        ForkJoinPool.commonPool())
                : null;
        ServedValues served = mask == null ? ServedValues.NONE : mask::served;
        Auditor auditor = new Auditor(
                new AuditLog(settings.auditRequired()), settings.application(), settings.auditEveryAccess());
        EncryptedValues encrypted = new EncryptedValues(
                backends.kmsRegistry(
                        settings.kms(),
                        name -> BackendSettings.kms(
                                name, kmsSettings, environment, settings.application(), auditor.backendEvents())),
                settings.dataKeyCacheSize(),
                EncryptionContext.forApplication(settings.application()),
                settings.cachePlaintext(),
                auditor,
                gate,
                served);
        BackendStates states = new BackendStates(encrypted::kmsNameFor);
        settings.kms().forEach(kms -> states.declare(BackendStates.Kind.KMS, kms));
        auditor.observe(states::observe);
        SecretCounts counts = new SecretCounts(auditor, keyId -> kmsNameFor(keyId, encrypted, backends));
        StoreSecrets stores = new StoreSecrets(
                backends,
                environment,
                settings.application(),
                settings.rotationInterval(),
                auditor,
                gate,
                ticker,
                states::reachable,
                served);
        return new SecretsRuntime(settings, backends, auditor, encrypted, stores, gate, states, counts, mask);
    }

    /** A runtime on the process' environment and the system clock: what a config builds for its application. */
    public static SecretsRuntime create(
            MpSecretsSettings settings, Backends backends, Function<String, Optional<String>> kmsSettings) {
        return create(settings, backends, kmsSettings, System.getenv(), Ticker.SYSTEM);
    }

    public MpSecretsSettings settings() {
        return settings;
    }

    /** The backends this application's config can use. */
    public Backends backends() {
        return backends;
    }

    public Auditor auditor() {
        return auditor;
    }

    public AuditLog audit() {
        return auditor.log();
    }

    public EncryptedValues encrypted() {
        return encrypted;
    }

    public StoreSecrets stores() {
        return stores;
    }

    /**
     * The KMS a key id belongs to, by name, without building it: the enabled one that supports it, else one on the
     * class path that claims it (for an operator's view of a value that cannot be read here).
     */
    public Optional<String> kmsNameFor(String keyId) {
        return kmsNameFor(keyId, encrypted, backends);
    }

    private static Optional<String> kmsNameFor(String keyId, EncryptedValues encrypted, Backends backends) {
        return encrypted
                .kmsNameFor(keyId)
                .or(() -> backends.kmsSupporting(keyId).stream()
                        .map(f -> f.name())
                        .findFirst());
    }

    /** How many times each secret property was read, cache hits included. */
    public Map<String, Long> readCounts() {
        Map<String, Long> counts = new TreeMap<>(encrypted.readCounts());
        stores.readCounts().forEach((property, count) -> counts.merge(property, count, Long::sum));
        return counts;
    }

    /**
     * Closes {@code resource} when this runtime closes, before the stores: what a layer above keeps for the
     * application's lifetime (the TLS materials and their refresh thread).
     */
    public void onClose(AutoCloseable resource) {
        closing.add(resource);
    }

    @Override
    public void close() {
        for (AutoCloseable resource : closing) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        closing.clear();
        gate.closeWith(() -> {
            stores.close();
            encrypted.close();
        });
        if (mask != null) {
            mask.close();
        }
    }
}
