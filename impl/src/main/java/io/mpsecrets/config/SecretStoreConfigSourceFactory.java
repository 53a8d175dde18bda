package io.mpsecrets.config;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.provider.SecretFields;
import io.mpsecrets.provider.file.FileSecretProvider;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Builds one {@link SecretStoreConfigSource} per store named in {@code mpsecrets.sources}, reading
 * {@code mpsecrets.*} from the sources below it (the settings may themselves be {@code ENC(...)} values or
 * references: a Vault token, say). At start-up it fetches the listed secrets, in batches where the store has them,
 * within {@code mpsecrets.<store>.startup-timeout}: a required store that is down stops the application with one
 * clear error; an optional one is logged and skipped.
 */
public final class SecretStoreConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.config");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Settings settings = new Settings(name -> {
            ConfigValue value = context.getValue(name);
            return value == null ? Optional.empty() : Optional.ofNullable(value.getValue());
        });
        List<String> stores = settings.list("mpsecrets.sources");
        if (stores.isEmpty()) {
            return List.of();
        }
        ConfigValue runtimeId = context.getValue(SecretsRuntime.LOOKUP);
        SecretsRuntime runtime = SecretsRuntime.find(runtimeId == null ? null : runtimeId.getValue()).orElseThrow(() ->
                new ConfigurationException("mpsecrets.sources is set but mp-secrets' interceptors are not installed in this config"));
        List<ConfigSource> sources = new ArrayList<>();
        for (String store : stores) {
            StoreSettings storeSettings = StoreSettings.read(store, settings, context.iterateNames());
            sources.add(new SecretStoreConfigSource(store, storeSettings.ordinal(), load(runtime, storeSettings, settings)));
        }
        return sources;
    }

    /** Fetches the listed secrets and maps their fields to property names, each valued with its reference. */
    private static Map<String, String> load(SecretsRuntime runtime, StoreSettings store, Settings settings) {
        List<StoreSettings.Listed> listed;
        Map<SecretId, SecretValue> values;
        try {
            listed = listed(runtime, store, settings);
            if (listed.isEmpty()) {
                return Map.of();
            }
            values = fetchWithin(store.startupTimeout(), () -> {
                SecretsRuntime.Store handle = runtime.store(store.store(), settings);
                Map<SecretId, SecretValue> fetched = handle.provider().fetchAll(listed.stream().map(StoreSettings.Listed::id).toList());
                runtime.secrets().putAll(store.store(), fetched, handle.policy());
                return fetched;
            }, store.store());
        } catch (SecretException e) {
            if (store.required()) {
                throw e;
            }
            LOG.warning("mp-secrets: the optional store '" + store.store() + "' is unavailable at start-up, going on without its properties: "
                    + e.getMessage());
            return Map.of();
        }
        Map<String, String> references = new LinkedHashMap<>();
        Map<String, SecretId> origin = new LinkedHashMap<>();
        for (StoreSettings.Listed secret : listed) {
            SecretValue value = values.get(secret.id());
            if (value == null) {
                SecretException missing = new io.mpsecrets.api.exception.SecretNotFoundException(
                        SecretRef.secret(store.store(), secret.id().toString()), "a listed secret does not exist");
                if (store.required()) {
                    throw missing;
                }
                LOG.warning("mp-secrets: " + missing.getMessage());
                continue;
            }
            // A mounted file is one value, as Kubernetes and Docker users expect; its fields stay reachable as
            // ${file::name#field}. Other stores' JSON secrets expose their fields.
            Optional<Map<String, String>> fields = store.store().equals(FileSecretProvider.NAME) ? Optional.empty() : SecretFields.fields(value);
            if (fields.isPresent()) {
                for (String field : fields.get().keySet()) {
                    String property = secret.prefix().isEmpty() ? field : secret.prefix() + "." + field;
                    add(references, origin, property, new SecretId(secret.id().path(), field, secret.id().versionId(), secret.id().stage()), store.store());
                }
            } else {
                String property = secret.prefix().isEmpty() ? secret.id().path() : secret.prefix();
                add(references, origin, property, secret.id(), store.store());
            }
        }
        return references;
    }

    private static void add(Map<String, String> references, Map<String, SecretId> origin, String property, SecretId id, String store) {
        SecretId first = origin.putIfAbsent(property, id);
        if (first != null) {
            LOG.warning("mp-secrets: property '" + property + "' comes from both " + first.withoutField() + " and "
                    + id.withoutField() + " in store " + store + "; the first listed wins (give one a prefix: mpsecrets."
                    + store + ".secrets.<prefix>=...)");
            return;
        }
        references.put(property, SecretReference.format(store, id));
    }

    /** The listed secrets; for the file store without a list, every file in the directory. */
    private static List<StoreSettings.Listed> listed(SecretsRuntime runtime, StoreSettings store, Settings settings) {
        if (!store.secrets().isEmpty() || !store.store().equals(FileSecretProvider.NAME)) {
            return store.secrets();
        }
        FileSecretProvider files = (FileSecretProvider) runtime.store(FileSecretProvider.NAME, settings).provider();
        return fetchWithin(store.startupTimeout(), () -> files.list().stream()
                .map(name -> new StoreSettings.Listed(SecretId.of(name), "")).toList(), store.store());
    }

    private interface Task<T> {
        T run();
    }

    /** Runs a start-up fetch on its own thread and gives up after {@code timeout}. */
    private static <T> T fetchWithin(Duration timeout, Task<T> task, String store) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(task.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "mpsecrets-startup-" + store);
        thread.setDaemon(true);
        thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        thread.start();
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new ServiceUnavailableException(FailureReason.TIMEOUT, SecretRef.secret(store, null),
                    "the store did not answer within mpsecrets." + store + ".startup-timeout (" + timeout + ")", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, SecretRef.secret(store, null), "interrupted at start-up", null);
        }
    }
}
