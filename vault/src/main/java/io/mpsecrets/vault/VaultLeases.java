package io.mpsecrets.vault;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.backend.DaemonScheduler;
import io.mpsecrets.api.backend.Renewal;
import io.mpsecrets.api.exception.ClosedException;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.spi.SecretChanges;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The leases of the dynamic secrets one application reads from Vault (the database engine's
 * {@code database/creds/<role>}, and any read answered with a {@code lease_id}), and the values without a lease read
 * from the same mounts (a static role's {@code database/static-creds/<role>}).
 *
 * <p>One read of a leased path issues one lease, whose fields (user and password) are served together until it is
 * replaced, and never after it ends: the values handed out carry its end ({@link SecretValue#expiresAt()}), which the
 * store's cache honours. The lease is renewed when two thirds of its duration have passed; when Vault grants less than
 * asked (its max TTL is near), or the lease cannot be renewed, or it is gone (revoked by an operator), or its renewals
 * keep failing until less than a tenth of it is left, a new one is issued ahead of expiry, the store reports the
 * change (the runtime fetches it and reports the rotation to every property that read it), and the old lease is
 * revoked after the grace period. A lease whose answer cannot be kept (no duration, malformed data) is revoked at once.
 *
 * <p>A value without a lease is versioned by its {@code last_vault_rotation}, and read again when its {@code ttl} (the
 * time to Vault's next rotation) runs out, and at each rotation check; a new version is reported as a change, as a new
 * lease is.
 *
 * <p>Failures are retried with jittered backoff, and reported once per run of failures; nothing is reported once the
 * store is closing. At shutdown every lease is revoked unless the settings keep them.
 *
 * <p>Concurrency: each leased path has a holder whose lock guards its lease; reads take it briefly and issue under it
 * (so two fields never come from two leases), while renewals and re-reads talk to Vault outside it and apply their
 * answer only if the lease is still the one they started from. One daemon timer thread per store schedules renewals,
 * re-reads and revocations. Lease ids are never printed: logs and versions carry a handle, a hash of the id.
 */
final class VaultLeases implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.vault");
    private static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    /** A lease with less than this share of its duration left is replaced rather than renewed (a tenth). */
    private static final int REPLACE_BELOW = 10;
    /** How long close() lets a renewal, replacement or revocation under way finish: a Vault call, bounded itself. */
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(5);
    /** A value without a lease is read again no sooner than this after a read, whatever its ttl. */
    private static final long MIN_REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final VaultClient client;
    private final LeaseSettings settings;
    private final SecretChanges changes;
    private final String application;
    private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Lease, String> retiring = new ConcurrentHashMap<>();
    private ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    /**
     * What a read of a leased path gave, in service: a lease ({@code id} not empty) or a value without one (a static
     * role). {@code expiresAt} is on the {@link System#nanoTime()} scale: a lease's end, reckoned from before it was
     * asked for (Vault's clock started no sooner); for a value without a lease, when to read it again (its ttl). A
     * value without a lease and without a ttl never expires.
     */
    private record Lease(
            String id,
            String handle,
            SecretValue value,
            Instant issued,
            boolean expires,
            long expiresAt,
            long ttlSeconds,
            boolean renewable) {
        boolean leased() {
            return !id.isEmpty();
        }

        boolean alive(long now) {
            return !expires || now - expiresAt < 0;
        }

        Lease until(long expiry) {
            return new Lease(id, handle, value, issued, true, expiry, ttlSeconds, renewable);
        }

        /** The end as a wall-clock instant, for the values handed out; null when it does not expire. */
        Instant end() {
            return expires ? Instant.now().plusNanos(expiresAt - System.nanoTime()) : null;
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
        int unchanged; // guarded by this: re-reads of a value without a lease that found Vault had not rotated it

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

    /**
     * The value in service at {@code path}, issuing a lease (or reading a value without one) when there is none
     * alive; it expires when the lease ends or the value is due to be read again.
     */
    SecretValue current(SecretId id, String path, SecretRef ref) {
        for (int attempt = 1; ; attempt++) {
            Lease lease = live(holder(id, path), ref);
            byte[] bytes;
            try {
                bytes = lease.value().bytes();
            } catch (IllegalStateException destroyed) {
                // Zeroed under this read: by a close, or because a newer lease replaced it; then the next one serves.
                if (closed) {
                    throw new ClosedException(ref);
                }
                if (attempt == 3) {
                    throw new ServiceUnavailableException(
                            FailureReason.UNAVAILABLE, ref, "the lease was replaced while it was read", null);
                }
                continue;
            }
            try {
                return SecretValue.of(bytes, lease.handle(), lease.issued(), lease.end());
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * The version in service at {@code path}: a lease's handle, with no call to Vault while it lives; a value without
     * a lease (which Vault may rotate at any time) is read again.
     */
    String version(SecretId id, String path, SecretRef ref) {
        Holder holder = holder(id, path);
        Lease before = holder.lease();
        Lease lease = live(holder, ref);
        if (lease.leased() || lease != before) {
            return lease.handle(); // a lease, or a value just read
        }
        return reread(holder, lease, ref, false).handle();
    }

    private Holder holder(SecretId id, String path) {
        return holders.computeIfAbsent(path, p -> new Holder(id, p));
    }

    private Lease live(Holder holder, SecretRef ref) {
        if (closed) {
            throw new ClosedException(ref);
        }
        synchronized (holder) {
            if (holder.lease != null && holder.lease.alive(System.nanoTime())) {
                return holder.lease;
            }
            Lease expired = holder.lease;
            Lease fresh = issue(holder.path, ref);
            if (closed) {
                discard(fresh, holder.path); // close() has passed this holder by: nobody would revoke it
                throw new ClosedException(ref);
            }
            holder.lease = fresh;
            holder.failures = 0;
            holder.unchanged = 0;
            if (expired != null) {
                expired.value().destroy();
            }
            schedule(holder, fresh, firstDelay(fresh));
            return fresh;
        }
    }

    /**
     * {@code GET /v1/<path>}: a new lease, or a value without one. A lease whose answer cannot be kept is revoked at
     * once, and the read fails.
     */
    private Lease issue(String path, SecretRef ref) {
        long asked = System.nanoTime();
        JsonObject answer = client.get(path, null, ref);
        LeaseAnswers.Read read = LeaseAnswers.read(answer, ref);
        if (read instanceof LeaseAnswers.Refused refused) {
            String handle = LeaseAnswers.handle(refused.leaseId());
            revoke(refused.leaseId(), handle, path);
            throw new InvalidSecretValueException(
                    ref, refused.failure().detail() + "; the lease " + handle + " was revoked");
        }
        if (read instanceof LeaseAnswers.Issued issued) {
            Lease lease = new Lease(
                    issued.leaseId(),
                    LeaseAnswers.handle(issued.leaseId()),
                    issued.value(),
                    Instant.now(),
                    true,
                    asked + TimeUnit.SECONDS.toNanos(issued.ttlSeconds()),
                    issued.ttlSeconds(),
                    issued.renewable());
            LOG.fine(() -> "mp-secrets: Vault issued lease " + lease.handle() + " for " + path + " ("
                    + issued.ttlSeconds() + " s)");
            return lease;
        }
        LeaseAnswers.Unleased unleased = (LeaseAnswers.Unleased) read;
        SecretValue value = unleased.value();
        long ttl = unleased.ttlSeconds().orElse(0L);
        long rereadAt = asked + TimeUnit.SECONDS.toNanos(ttl);
        long soonest = System.nanoTime() + MIN_REREAD_NANOS;
        return new Lease(
                "",
                value.version().orElseThrow(),
                value,
                value.created().orElseGet(Instant::now),
                unleased.ttlSeconds().isPresent(),
                rereadAt - soonest < 0 ? soonest : rereadAt,
                ttl,
                false);
    }

    private static long renewalDelay(long ttlSeconds) {
        return Renewal.dueAfterNanos(TimeUnit.SECONDS.toNanos(ttlSeconds));
    }

    /** A lease is renewed at two thirds; a value without a lease is read again when it expires. */
    private static long firstDelay(Lease lease) {
        return lease.leased() ? renewalDelay(lease.ttlSeconds()) : Math.max(0, lease.expiresAt() - System.nanoTime());
    }

    private synchronized void schedule(Holder holder, Lease lease, long delayNanos) {
        if (!lease.expires() || closed) {
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

    /**
     * On the timer: renew {@code lease}, or replace it when it cannot be renewed in full or is about to end; read a
     * value without a lease again.
     */
    private void keep(Holder holder, Lease lease) {
        if (closed || holder.lease() != lease) {
            return; // replaced meanwhile (a read found it expired): the new lease has its own schedule
        }
        SecretRef ref = ref(holder);
        if (!lease.leased()) {
            try {
                reread(holder, lease, ref, true);
            } catch (SecretException failure) {
                retryLater(holder, lease, failure);
            }
            return;
        }
        long left = lease.expiresAt() - System.nanoTime();
        if (!lease.renewable() || left < TimeUnit.SECONDS.toNanos(lease.ttlSeconds()) / REPLACE_BELOW) {
            // Not renewable, or its renewals kept failing until it is about to end: a new lease while this one serves.
            replace(holder, lease, ref);
            return;
        }
        long asked = System.nanoTime();
        long granted;
        try {
            granted = renew(lease, ref);
        } catch (SecretNotFoundException | ConfigurationException refused) {
            if (closed) {
                return;
            }
            // Vault answers 400 for a lease it no longer knows or will not renew: lookup tells the two apart.
            if (gone(lease, ref) && !closed) {
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
        // Renewed for what was asked (its own duration), reckoned from before the call; more granted is not relied on.
        Lease renewed = lease.until(asked + TimeUnit.SECONDS.toNanos(lease.ttlSeconds()));
        synchronized (holder) {
            if (holder.lease != lease) {
                return;
            }
            holder.lease = renewed;
            holder.failures = 0;
        }
        LOG.fine(() -> "mp-secrets: renewed Vault lease " + lease.handle() + " for " + granted + " s");
        schedule(holder, renewed, renewalDelay(lease.ttlSeconds()));
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
        return LeaseAnswers.granted(answer, ref);
    }

    /** Whether {@code sys/leases/lookup} says Vault no longer has the lease, or has it with no time left. */
    private boolean gone(Lease lease, SecretRef ref) {
        try {
            JsonObject answer = client.post(
                    "sys/leases/lookup",
                    Json.createObjectBuilder().add("lease_id", lease.id()).build(),
                    ref);
            return LeaseAnswers.remaining(answer, ref).map(ttl -> ttl == 0).orElse(false);
        } catch (SecretNotFoundException | ConfigurationException unknown) {
            return true;
        } catch (SecretException other) {
            return false;
        }
    }

    /**
     * Reads a value without a lease again (its ttl ran out, or a rotation check asks). A new version replaces it and,
     * when {@code report}, is reported as a change; the same version stays in service until its new ttl, and while
     * Vault's rotation is due but not done yet (a ttl of 0) it is asked again with backoff.
     *
     * @return the value in service afterwards
     * @throws SecretException when Vault does not answer
     */
    private Lease reread(Holder holder, Lease lease, SecretRef ref, boolean report) {
        Lease fresh = issue(holder.path, ref);
        Lease inService;
        boolean rotated;
        synchronized (holder) {
            if (holder.lease != lease || closed) {
                discard(fresh, holder.path); // replaced meanwhile, or closing: this answer is not needed
                if (closed) {
                    throw new ClosedException(ref);
                }
                return holder.lease;
            }
            rotated = fresh.leased() || !fresh.handle().equals(lease.handle());
            if (rotated) {
                inService = fresh;
                holder.unchanged = 0;
            } else {
                long expiry = fresh.expiresAt();
                if (fresh.expires() && fresh.ttlSeconds() == 0) {
                    long backoff = System.nanoTime() + RETRY.nanos(++holder.unchanged);
                    expiry = expiry - backoff < 0 ? backoff : expiry;
                } else {
                    holder.unchanged = 0;
                }
                // The value in service stays (a reader may be copying it); only when to read it again moves.
                inService = fresh.expires() ? lease.until(expiry) : lease;
                fresh.value().destroy();
            }
            holder.lease = inService;
            holder.failures = 0;
        }
        if (inService != lease) {
            schedule(holder, inService, firstDelay(inService));
        }
        if (rotated) {
            LOG.info(() -> "mp-secrets: Vault rotated " + holder.path + " (" + fresh.handle() + ", was "
                    + lease.handle() + ")");
            retire(lease, holder.path);
            if (report) {
                changes.changed(holder.id);
            }
        }
        return inService;
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
                discard(fresh, holder.path); // a read replaced it meanwhile, or the store closed: not needed
                return;
            }
            holder.lease = fresh;
            holder.failures = 0;
        }
        LOG.info(() -> "mp-secrets: Vault lease " + fresh.handle() + " replaces " + old.handle() + " for " + holder.path
                + "; the old one is revoked in " + settings.grace());
        schedule(holder, fresh, firstDelay(fresh));
        changes.changed(holder.id);
        retire(old, holder.path);
    }

    /**
     * Tries again later, at most half the remaining time apart while the value lives; the first failure of a run is
     * reported. A failure while closing (the call was interrupted by the close) is no failure and is not reported.
     */
    private void retryLater(Holder holder, Lease lease, SecretException failure) {
        if (closed) {
            return;
        }
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

    /** A lease or value that was read but is not needed: revoked, or zeroed when it has no lease. */
    private void discard(Lease unneeded, String path) {
        revoke(unneeded, path);
    }

    /** {@code sys/leases/revoke}, once; zeroes the value. A failure is logged (Vault revokes it at its expiry). */
    private void revoke(Lease lease, String path) {
        lease.value().destroy();
        if (lease.leased()) {
            revoke(lease.id(), lease.handle(), path);
        }
    }

    private void revoke(String leaseId, String handle, String path) {
        try {
            client.post(
                    "sys/leases/revoke",
                    Json.createObjectBuilder().add("lease_id", leaseId).build(),
                    SecretRef.secret(VaultSettings.STORE, path));
            LOG.info(() -> "mp-secrets: revoked Vault lease " + handle + " of " + path);
        } catch (SecretException e) {
            LOG.log(
                    Level.WARNING,
                    "mp-secrets: could not revoke Vault lease " + handle + " of " + path + " (" + e.reason()
                            + "); Vault revokes it when it expires");
        }
    }

    private static SecretRef ref(Holder holder) {
        return SecretRef.secret(VaultSettings.STORE, holder.id.toString());
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
            // Not interrupted: a lease being issued or revoked on the timer would be done in Vault and lost here.
            DaemonScheduler.stop(stopping, CLOSE_PATIENCE);
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
