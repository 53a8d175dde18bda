package io.mpsecrets.vault;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.ClosedException;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.spi.SecretChanges;
import io.mpsecrets.support.Backoff;
import io.mpsecrets.support.DaemonScheduler;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The leases of the dynamic secrets one application reads from Vault (the database engine's
 * {@code database/creds/<role>}, and any read answered with a {@code lease_id}). One read of a leased path issues one
 * lease, whose fields (user and password) are served together until it is replaced: the lease is renewed when two
 * thirds of its duration have passed; when Vault grants less than asked (its max TTL is near), or the lease cannot be
 * renewed, or it is gone (revoked by an operator), a new one is issued ahead of expiry, the store reports the change
 * (the runtime fetches it and reports the rotation to every property that read it), and the old lease is revoked
 * after the grace period. Failures are retried with jittered backoff while the lease in service lives, and reported
 * once per run of failures. At shutdown every lease is revoked unless the settings keep them.
 *
 * <p>Concurrency: each leased path has a holder whose lock guards its lease; reads take it briefly and issue under it
 * (so two fields never come from two leases), while renewals talk to Vault outside it and apply their answer only if
 * the lease is still the one they renewed. One daemon timer thread per store schedules renewals and revocations.
 * Lease ids are never printed: logs and versions carry a handle, a hash of the id.
 */
final class VaultLeases implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.vault");
    private static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final VaultClient client;
    private final LeaseSettings settings;
    private final SecretChanges changes;
    private final String application;
    private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Lease, String> retiring = new ConcurrentHashMap<>();
    private ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    /**
     * A lease in service; {@code expiresAt} is on the {@link System#nanoTime()} scale. A value read without a lease (a
     * static role) has a TTL of 0 and never expires.
     */
    private record Lease(
            String id,
            String handle,
            SecretValue value,
            Instant issued,
            long expiresAt,
            long ttlSeconds,
            boolean renewable) {
        boolean alive(long now) {
            return ttlSeconds == 0 || now - expiresAt < 0;
        }

        Lease renewedUntil(long expiry) {
            return new Lease(id, handle, value, issued, expiry, ttlSeconds, renewable);
        }

        @Override
        public String toString() {
            return "Lease[" + handle + "]";
        }
    }

    /** One leased path and the lease it serves now. */
    private static final class Holder {
        final SecretId id;
        final String path;
        Lease lease; // guarded by this
        int failures; // guarded by this

        Holder(SecretId id, String path) {
            this.id = id;
            this.path = path;
        }

        synchronized Lease lease() {
            return lease;
        }
    }

    VaultLeases(VaultClient client, LeaseSettings settings, SecretChanges changes, String application) {
        this.client = client;
        this.settings = settings;
        this.changes = changes;
        this.application = application;
    }

    /** The value of the lease in service at {@code path}, issuing one when there is none alive. */
    SecretValue current(SecretId id, String path, SecretRef ref) {
        Lease lease = live(id, path, ref);
        byte[] bytes;
        try {
            bytes = lease.value().bytes();
        } catch (IllegalStateException destroyed) {
            throw new ClosedException(ref); // revoked by a close that ran while this read was under way
        }
        try {
            return SecretValue.of(bytes, lease.handle(), lease.issued());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The handle of the lease in service at {@code path}: no call to Vault while it lives. */
    String version(SecretId id, String path, SecretRef ref) {
        return live(id, path, ref).handle();
    }

    private Lease live(SecretId id, String path, SecretRef ref) {
        if (closed) {
            throw new ClosedException(ref);
        }
        Holder holder = holders.computeIfAbsent(path, p -> new Holder(id, p));
        synchronized (holder) {
            if (holder.lease != null && holder.lease.alive(System.nanoTime())) {
                return holder.lease;
            }
            Lease expired = holder.lease;
            holder.lease = issue(path, ref);
            if (expired != null) {
                expired.value().destroy();
            }
            schedule(holder, holder.lease, renewalDelay(holder.lease.ttlSeconds()));
            return holder.lease;
        }
    }

    /** {@code GET /v1/<path>}: a new lease, or a value without one (a static role), which then never expires. */
    private Lease issue(String path, SecretRef ref) {
        JsonObject answer = client.get(path, null, ref);
        String leaseId = VaultJson.string(answer, "lease_id", ref).orElse("");
        long ttl = VaultJson.seconds(answer, "lease_duration", ref);
        boolean renewable = VaultJson.bool(answer, "renewable", ref);
        SecretValue value = VaultSecretProvider.dataValue(answer, ref);
        if (leaseId.isEmpty() || ttl == 0) {
            return new Lease("", value.version().orElseThrow(), value, Instant.now(), 0, 0, false);
        }
        Lease lease = new Lease(
                leaseId,
                handle(leaseId),
                value,
                Instant.now(),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(ttl),
                ttl,
                renewable);
        LOG.fine(() -> "mp-secrets: Vault issued lease " + lease.handle() + " for " + path + " (" + ttl + " s)");
        return lease;
    }

    /** Renewal at two thirds of the duration, so that a slow or failing renewal still has a third to recover in. */
    private static long renewalDelay(long ttlSeconds) {
        return TimeUnit.SECONDS.toNanos(ttlSeconds) * 2 / 3;
    }

    private synchronized void schedule(Holder holder, Lease lease, long delayNanos) {
        if (lease.ttlSeconds() == 0 || closed) {
            return;
        }
        try {
            timer().schedule(() -> keep(holder, lease), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // closed meanwhile
        }
    }

    private synchronized ScheduledThreadPoolExecutor timer() {
        if (timer == null) {
            timer = DaemonScheduler.start("mpsecrets-vault-leases-" + application);
        }
        return timer;
    }

    /** On the timer: renew {@code lease}, or replace it when it cannot be renewed in full. */
    private void keep(Holder holder, Lease lease) {
        if (closed || holder.lease() != lease) {
            return; // replaced meanwhile (a read found it expired): the new lease has its own schedule
        }
        SecretRef ref = ref(holder);
        if (!lease.renewable()) {
            replace(holder, lease, ref);
            return;
        }
        long granted;
        try {
            granted = renew(lease, ref);
        } catch (SecretNotFoundException | ConfigurationException refused) {
            // Vault answers 400 for a lease it no longer knows or will not renew: lookup tells the two apart.
            if (gone(lease, ref)) {
                SecretNotFoundException lost = new SecretNotFoundException(
                        ref,
                        "lease " + lease.handle() + " is gone from Vault ("
                                + (lease.alive(System.nanoTime())
                                        ? "revoked by an operator"
                                        : "expired while it could not be renewed")
                                + "): issuing a new one");
                LOG.warning(lost::getMessage);
                changes.failed(holder.id, lost);
            }
            replace(holder, lease, ref);
            return;
        } catch (SecretException failure) {
            retryLater(holder, lease, failure);
            return;
        }
        if (granted < lease.ttlSeconds()) {
            LOG.info(() -> "mp-secrets: Vault lease " + lease.handle() + " of " + holder.path
                    + " reaches its max TTL in " + granted + " s: issuing a new one");
            replace(holder, lease, ref);
            return;
        }
        Lease renewed = lease.renewedUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(granted));
        synchronized (holder) {
            if (holder.lease != lease) {
                return;
            }
            holder.lease = renewed;
            holder.failures = 0;
        }
        LOG.fine(() -> "mp-secrets: renewed Vault lease " + lease.handle() + " for " + granted + " s");
        schedule(holder, renewed, renewalDelay(granted));
    }

    /** {@code sys/leases/renew} for the lease's own duration: the seconds Vault grants. */
    private long renew(Lease lease, SecretRef ref) {
        JsonObject answer = client.post(
                "sys/leases/renew",
                Json.createObjectBuilder()
                        .add("lease_id", lease.id())
                        .add("increment", lease.ttlSeconds())
                        .build(),
                ref);
        return VaultJson.seconds(answer, "lease_duration", ref);
    }

    /** Whether {@code sys/leases/lookup} says Vault no longer has the lease. */
    private boolean gone(Lease lease, SecretRef ref) {
        try {
            client.post(
                    "sys/leases/lookup",
                    Json.createObjectBuilder().add("lease_id", lease.id()).build(),
                    ref);
            return false;
        } catch (SecretNotFoundException | ConfigurationException unknown) {
            return true;
        } catch (SecretException other) {
            return false;
        }
    }

    /** Issues a new lease for the holder's path, reports the change, and revokes the old lease after the grace. */
    private void replace(Holder holder, Lease old, SecretRef ref) {
        Lease fresh;
        try {
            fresh = issue(holder.path, ref);
        } catch (SecretException failure) {
            retryLater(holder, old, failure);
            return;
        }
        synchronized (holder) {
            if (holder.lease != old || closed) {
                revoke(fresh, holder.path); // a read replaced it meanwhile, or the store closed: not needed
                return;
            }
            holder.lease = fresh;
            holder.failures = 0;
        }
        LOG.info(() -> "mp-secrets: Vault lease " + fresh.handle() + " replaces " + old.handle() + " for " + holder.path
                + "; the old one is revoked in " + settings.grace());
        schedule(holder, fresh, renewalDelay(fresh.ttlSeconds()));
        changes.changed(holder.id);
        retire(old, holder.path);
    }

    private void retryLater(Holder holder, Lease lease, SecretException failure) {
        int failures;
        synchronized (holder) {
            if (holder.lease != lease) {
                return;
            }
            failures = ++holder.failures;
        }
        if (failures == 1) {
            changes.failed(holder.id, failure);
        }
        long wait = RETRY.nanos(failures);
        long left = lease.expiresAt() - System.nanoTime();
        if (left > 0) {
            wait = Math.min(wait, Math.max(left / 2, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        LOG.log(
                Level.WARNING,
                "mp-secrets: keeping Vault lease " + lease.handle() + " of " + holder.path + " failed ("
                        + failure.reason() + "); trying again in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms");
        schedule(holder, lease, wait);
    }

    /** The replaced lease serves connections under way for the grace period, then is revoked. */
    private void retire(Lease old, String path) {
        retiring.put(old, path);
        long delay = Math.min(settings.grace().toNanos(), Math.max(0, old.expiresAt() - System.nanoTime()));
        try {
            timer().schedule(
                            () -> {
                                if (retiring.remove(old) != null) {
                                    revoke(old, path);
                                }
                            },
                            delay,
                            TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // closing: close() revokes what is still retiring
        }
    }

    /** {@code sys/leases/revoke}, once; a failure is logged (Vault revokes the lease at its expiry anyway). */
    private void revoke(Lease lease, String path) {
        lease.value().destroy();
        if (lease.id().isEmpty()) {
            return;
        }
        try {
            client.post(
                    "sys/leases/revoke",
                    Json.createObjectBuilder().add("lease_id", lease.id()).build(),
                    SecretRef.secret(VaultSecretProvider.NAME, path));
            LOG.info(() -> "mp-secrets: revoked Vault lease " + lease.handle() + " of " + path);
        } catch (SecretException e) {
            LOG.log(
                    Level.WARNING,
                    "mp-secrets: could not revoke Vault lease " + lease.handle() + " of " + path + " (" + e.reason()
                            + "); Vault revokes it when it expires");
        }
    }

    /** A lease's printable name: the first 16 hex digits of its id's SHA-256. */
    static String handle(String leaseId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaseId.getBytes(StandardCharsets.UTF_8));
            return "lease-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static SecretRef ref(Holder holder) {
        return SecretRef.secret(VaultSecretProvider.NAME, holder.id.toString());
    }

    /** Stops renewing; revokes the leases in service and those retiring, unless the settings keep them. */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor stopping;
        synchronized (this) {
            closed = true;
            stopping = timer;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                stopping.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Holder> all = List.copyOf(holders.values());
        holders.clear();
        for (Holder holder : all) {
            Lease lease;
            synchronized (holder) {
                lease = holder.lease;
                holder.lease = null;
            }
            if (lease != null) {
                finish(lease, holder.path);
            }
        }
        for (Lease lease : List.copyOf(retiring.keySet())) {
            String path = retiring.remove(lease);
            if (path != null) {
                finish(lease, path);
            }
        }
    }

    private void finish(Lease lease, String path) {
        if (settings.revokeOnShutdown()) {
            revoke(lease, path);
        } else {
            lease.value().destroy();
        }
    }

    @Override
    public String toString() {
        return "VaultLeases[" + holders.size() + " leased paths]";
    }
}
