package io.mpsecrets.runtime;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.cache.SecretFields;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * What a store serves as a whole config source ({@code mpsecrets.sources}), fetched at start-up: the listed secrets
 * (in batches where the store has them, single reads while batches are throttled, transient failures retried after a
 * jittered backoff, through {@code StartupFetch}) for as long as the store answers within
 * {@code mpsecrets.<store>.startup-timeout}, a watchdog cutting off a call that hangs. A required store that is down
 * stops the application with one clear error; an optional one is logged and skipped. What a store's secrets become
 * follows its capabilities: with {@link Capability#FIELDS} a JSON secret's fields are properties, otherwise a secret
 * is one property; with {@link Capability#LIST} a store listed without secrets serves all of them. The config glue
 * only turns the result into a source.
 */
public final class StoreProperties {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.config");

    private StoreProperties() {}

    /**
     * The properties {@code store} serves, each valued with its reference {@code ${store::id#field}}: its listed
     * secrets (or, for a store that lists, all of them) fetched now, in batches where the store has them, and cached.
     * A required store that fails stops the start with one typed error; an optional one is logged and serves none.
     *
     * @throws ConfigurationException when a secret would serve a setting of mp-secrets or of the config itself, or the
     *     store can serve nothing
     */
    public static Map<String, String> fetch(StoreSecrets secrets, StoreSettings store, Settings settings) {
        List<StoreSettings.Listed> listed;
        Map<SecretId, SecretValue> values;
        StoreSecrets.OpenStore handle;
        try {
            handle = secrets.store(store.store(), StoreSettings.SOURCES, settings);
            if (store.secrets().isEmpty() && !handle.can(Capability.LIST)) {
                // A store that cannot list serves only what is listed: with nothing listed it would add nothing.
                throw new ConfigurationException(StoreSettings.SOURCES + " names the store '" + store.store()
                        + "', which serves only the secrets it is given, and mpsecrets." + store.store()
                        + ".secrets names none: add mpsecrets." + store.store() + ".secrets=<id>,... (or mpsecrets."
                        + store.store() + ".secrets.<prefix>=<id>,...), or take it out of " + StoreSettings.SOURCES);
            }
            listed = listed(handle, store);
            if (listed.isEmpty()) {
                return Map.of();
            }
            AtomicLong progress = new AtomicLong(System.nanoTime());
            values = fetchWithin(
                    store.startupTimeout(),
                    progress,
                    () -> secrets.fetchAtStartup(
                            handle,
                            listed.stream().map(StoreSettings.Listed::id).toList(),
                            store.startupTimeout(),
                            () -> progress.set(System.nanoTime())),
                    store.store());
        } catch (SecretException e) {
            // A configuration error is the operator's to fix, not an outage an optional store may ride out.
            if (store.required() || e instanceof ConfigurationException) {
                throw e;
            }
            LOG.warning("mp-secrets: the optional store '" + LogSafe.escape(store.store())
                    + "' is unavailable at start-up, going on without its properties: " + e.getMessage());
            return Map.of();
        }
        Map<String, String> references = new LinkedHashMap<>();
        Map<String, SecretId> origin = new LinkedHashMap<>();
        // Refused, not skipped, even for an optional store: whoever can write one secret could otherwise point
        // mp-secrets (its Vault address, its KMS) or the config itself elsewhere.
        for (StoreSettings.Listed secret : listed) {
            SecretValue value = values.get(secret.id());
            if (value == null) {
                SecretException missing = new SecretNotFoundException(
                        SecretRef.secret(store.store(), secret.id().toString()), "a listed secret does not exist");
                if (store.required()) {
                    throw missing;
                }
                LOG.warning("mp-secrets: " + missing.getMessage());
                continue;
            }
            // A store without FIELDS (mounted files) serves a secret as one value; its fields stay reachable as
            // ${store::name#field}.
            Optional<Map<String, String>> fields =
                    handle.can(Capability.FIELDS) ? SecretFields.fields(value) : Optional.empty();
            if (fields.isPresent()) {
                for (String field : fields.get().keySet()) {
                    String property = secret.prefix().isEmpty() ? field : secret.prefix() + "." + field;
                    add(
                            references,
                            origin,
                            property,
                            new SecretId(
                                    secret.id().path(),
                                    field,
                                    secret.id().versionId(),
                                    secret.id().stage()),
                            store.store());
                }
            } else {
                String property = secret.prefix().isEmpty()
                        ? handle.store().propertyName(secret.id().path())
                        : secret.prefix();
                add(references, origin, property, secret.id(), store.store());
            }
        }
        return references;
    }

    private static void add(
            Map<String, String> references, Map<String, SecretId> origin, String property, SecretId id, String store) {
        if (ConfigurationSettings.isOne(property)) {
            throw new ConfigurationException("store " + LogSafe.escape(store) + " would serve the property '"
                    + LogSafe.escape(property) + "' (from " + LogSafe.escape(id.toString()) + "), a setting of "
                    + "mp-secrets or of MicroProfile Config itself: settings come from the application's "
                    + "configuration, never from a secret store. Remove it from the store, or list the store's "
                    + "secrets under a prefix (mpsecrets." + store + ".secrets.<prefix>=...)");
        }
        SecretId first = origin.putIfAbsent(property, id);
        if (first != null) {
            LOG.warning(LogSafe.escape("mp-secrets: property '" + property + "' comes from both " + first.withoutField()
                    + " and " + id.withoutField() + " in store " + store
                    + "; the first listed wins (give one a prefix: mpsecrets." + store + ".secrets.<prefix>=...)"));
            return;
        }
        references.put(property, SecretReference.format(store, id));
    }

    /** The listed secrets; for a store that can list and has none listed, every secret it has. */
    private static List<StoreSettings.Listed> listed(StoreSecrets.OpenStore handle, StoreSettings store) {
        if (!store.secrets().isEmpty() || !handle.can(Capability.LIST)) {
            return store.secrets();
        }
        return fetchWithin(
                store.startupTimeout(),
                new AtomicLong(System.nanoTime()),
                () -> handle.store().list().stream()
                        .map(name -> new StoreSettings.Listed(SecretId.of(name), ""))
                        .toList(),
                store.store());
    }

    private interface Task<T> {
        T run();
    }

    /**
     * Runs a start-up fetch on its own thread and gives up when {@code timeout} passes with no progress (the task
     * sets {@code progress} to {@link System#nanoTime()} whenever the store answered): a call that hangs is cut off.
     */
    private static <T> T fetchWithin(Duration timeout, AtomicLong progress, Task<T> task, String store) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(task.run());
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                },
                "mpsecrets-startup-" + store);
        thread.setDaemon(true);
        thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        thread.start();
        try {
            while (true) {
                long idle = progress.get() + timeout.toNanos() - System.nanoTime();
                try {
                    return result.get(Math.max(idle, 0), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (progress.get() + timeout.toNanos() - System.nanoTime() <= 0) {
                        throw e;
                    }
                }
            }
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new ServiceUnavailableException(
                    FailureReason.TIMEOUT,
                    SecretRef.secret(store, null),
                    "the store did not answer within mpsecrets." + store + ".startup-timeout (" + timeout + ")",
                    null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error; // not masked as an IllegalStateException: an OutOfMemoryError is one
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE, SecretRef.secret(store, null), "interrupted at start-up", null);
        }
    }
}
