package io.mpsecrets.vault;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.backend.DaemonScheduler;
import io.mpsecrets.api.backend.Renewal;
import io.mpsecrets.api.exception.ClosedException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.spi.SecretChanges;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Certificates from Vault's PKI engine, kept as a store keeps leased secrets. The secret id is
 * {@code <mount>/issue/<role>} with the request's parameters after semicolons, e.g.
 * {@code pki/issue/orders;common_name=orders.internal;alt_names=localhost;ip_sans=127.0.0.1;ttl=1h} (values URL
 * encoded; the TLS layer's {@code mpsecrets.tls.<name>.vault-pki} writes it). A read issues a certificate
 * ({@code POST /v1/<mount>/issue/<role>}) whose value is the answer's data as JSON ({@code certificate},
 * {@code private_key}, {@code issuing_ca}, {@code ca_chain}, {@code serial_number}, {@code expiration}); its version
 * is the serial, and it expires at the certificate's not-after. At two thirds of its lifetime, less a jitter of up
 * to a twelfth (so that a fleet issued at once does not come back at once), a new certificate is issued, the change
 * is reported (the runtime fetches it and reports the rotation, the TLS material swaps it in), and the old one is
 * zeroed and, when the settings say so, revoked after the grace period. A failed re-issue is retried with backoff
 * while the certificate in service lives, and reported once per run of failures.
 */
final class VaultPki implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.vault");
    private static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    private static final int MAX_PARAMETERS = 16;
    private static final Set<String> FIELDS = Set.of(
            "certificate", "private_key", "issuing_ca", "ca_chain", "serial_number", "expiration", "private_key_type");

    private final VaultClient client;
    private final LeaseSettings settings;
    private final SecretChanges changes;
    private final String application;
    private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();
    private ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    /** A certificate in service: its value (the data as JSON), serial and validity. */
    private record Issued(SecretValue value, String serial, Instant issued, Instant notAfter) {
        @Override
        public String toString() {
            return "Issued[" + serial + "]";
        }
    }

    private static final class Holder {
        final SecretId id;
        final String mount;
        final String role;
        final JsonObject request;
        Issued issued; // guarded by this
        int failures; // guarded by this

        Holder(SecretId id, String mount, String role, JsonObject request) {
            this.id = id;
            this.mount = mount;
            this.role = role;
            this.request = request;
        }

        synchronized Issued issued() {
            return issued;
        }
    }

    VaultPki(VaultClient client, LeaseSettings settings, SecretChanges changes, String application) {
        this.client = client;
        this.settings = settings;
        this.changes = changes;
        this.application = application;
    }

    /** The certificate in service for {@code id}, issuing one when there is none or it has ended. */
    SecretValue current(SecretId id, String mount, String path, SecretRef ref) {
        Issued issued = live(holder(id, mount, path, ref), ref);
        byte[] bytes;
        try {
            bytes = issued.value().bytes();
        } catch (IllegalStateException destroyed) {
            if (closed) {
                throw new ClosedException(ref);
            }
            issued = live(holders.get(id.path()), ref);
            bytes = issued.value().bytes();
        }
        try {
            return SecretValue.of(bytes, issued.serial(), issued.issued(), issued.notAfter());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The serial in service, without a call to Vault while the certificate lives. */
    String version(SecretId id, String mount, String path, SecretRef ref) {
        return live(holder(id, mount, path, ref), ref).serial();
    }

    private Holder holder(SecretId id, String mount, String path, SecretRef ref) {
        Holder existing = holders.get(id.path());
        if (existing != null) {
            return existing;
        }
        String[] parts = path.split(";", -1);
        if (parts.length - 1 > MAX_PARAMETERS) {
            throw new SecretNotFoundException(ref, "a PKI request with more than " + MAX_PARAMETERS + " parameters");
        }
        String role = parts[0].substring("issue/".length());
        if (role.isEmpty() || role.contains("/")) {
            throw new SecretNotFoundException(ref, "a PKI secret id is <mount>/issue/<role>[;name=value...]");
        }
        JsonObjectBuilder request = Json.createObjectBuilder();
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals <= 0) {
                throw new SecretNotFoundException(ref, "a PKI request parameter is name=value");
            }
            request.add(
                    parts[i].substring(0, equals),
                    URLDecoder.decode(parts[i].substring(equals + 1), StandardCharsets.UTF_8));
        }
        return holders.computeIfAbsent(id.path(), p -> new Holder(id, mount, role, request.build()));
    }

    private Issued live(Holder holder, SecretRef ref) {
        if (closed) {
            throw new ClosedException(ref);
        }
        synchronized (holder) {
            if (holder.issued != null && Instant.now().isBefore(holder.issued.notAfter())) {
                return holder.issued;
            }
            Issued ended = holder.issued;
            Issued fresh = issue(holder, ref);
            if (closed) {
                fresh.value().destroy();
                throw new ClosedException(ref);
            }
            holder.issued = fresh;
            holder.failures = 0;
            if (ended != null) {
                ended.value().destroy();
            }
            schedule(holder, fresh, reissueDelay(fresh));
            return fresh;
        }
    }

    /** {@code POST /v1/<mount>/issue/<role>}: a new certificate and key. */
    private Issued issue(Holder holder, SecretRef ref) {
        JsonObject answer = client.post(holder.mount + "/issue/" + holder.role, holder.request, ref);
        JsonObject data = VaultJson.data(answer, ref);
        String serial = VaultJson.string(data, "serial_number", ref)
                .orElseThrow(() -> new InvalidSecretValueException(ref, "Vault's PKI answer has no serial_number"));
        Instant notAfter = VaultJson.epochSeconds(data, "expiration", ref)
                .orElseThrow(() -> new InvalidSecretValueException(ref, "Vault's PKI answer has no expiration"));
        for (String required : new String[] {"certificate", "private_key"}) {
            if (!(data.get(required) instanceof JsonString)) {
                throw new InvalidSecretValueException(ref, "Vault's PKI answer has no " + required);
            }
        }
        Instant now = Instant.now();
        if (!notAfter.isAfter(now)) {
            throw new InvalidSecretValueException(ref, "Vault issued a certificate that has already expired");
        }
        // Only the fields a TLS material uses are kept; the value is the JSON of them, fields of one issue.
        Map<String, JsonValue> kept = new LinkedHashMap<>();
        data.forEach((name, value) -> {
            if (FIELDS.contains(name)) {
                kept.put(name, value);
            }
        });
        byte[] bytes = Json.createObjectBuilder(kept).build().toString().getBytes(StandardCharsets.UTF_8);
        try {
            LOG.fine(() -> "mp-secrets: Vault issued certificate " + serial + " for " + holder.id.path() + " until "
                    + notAfter);
            return new Issued(SecretValue.of(bytes, serial, now, notAfter), serial, now, notAfter);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Two thirds of the lifetime, less a jitter of up to a twelfth of it, from now. */
    private static long reissueDelay(Issued issued) {
        long lifetime = Duration.between(issued.issued(), issued.notAfter()).toNanos();
        long jitter = lifetime / 12 <= 0 ? 0 : ThreadLocalRandom.current().nextLong(lifetime / 12);
        return Math.max(0, Renewal.dueAfterNanos(lifetime) - jitter);
    }

    private synchronized void schedule(Holder holder, Issued issued, long delayNanos) {
        if (closed) {
            return;
        }
        try {
            timer().schedule(() -> reissue(holder, issued), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // closed meanwhile
        }
    }

    private synchronized ScheduledThreadPoolExecutor timer() {
        if (timer == null) {
            timer = DaemonScheduler.start("mpsecrets-vault-pki-" + application);
        }
        return timer;
    }

    /** On the timer: a new certificate replaces {@code old}, the change is reported, the old one retired. */
    private void reissue(Holder holder, Issued old) {
        if (closed || holder.issued() != old) {
            return;
        }
        SecretRef ref = SecretRef.secret(VaultSettings.STORE, holder.id.toString());
        Issued fresh;
        try {
            fresh = issue(holder, ref);
        } catch (SecretException failure) {
            retryLater(holder, old, failure);
            return;
        }
        synchronized (holder) {
            if (holder.issued != old || closed) {
                fresh.value().destroy();
                return;
            }
            holder.issued = fresh;
            holder.failures = 0;
        }
        LOG.info(() -> "mp-secrets: Vault certificate " + fresh.serial() + " replaces " + old.serial() + " for "
                + holder.id.path());
        schedule(holder, fresh, reissueDelay(fresh));
        changes.changed(holder.id);
        retire(holder, old);
    }

    private void retryLater(Holder holder, Issued issued, SecretException failure) {
        if (closed) {
            return;
        }
        int failures;
        synchronized (holder) {
            if (holder.issued != issued) {
                return;
            }
            failures = ++holder.failures;
        }
        if (failures == 1) {
            changes.failed(holder.id, failure);
        }
        long wait = RETRY.nanos(failures);
        long left = Duration.between(Instant.now(), issued.notAfter()).toNanos();
        if (left > 0) {
            wait = Math.min(wait, Math.max(left / 2, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        LOG.log(
                Level.WARNING,
                "mp-secrets: re-issuing Vault certificate " + issued.serial() + " of " + holder.id.path()
                        + " failed (" + failure.reason() + "); trying again in " + TimeUnit.NANOSECONDS.toMillis(wait)
                        + " ms");
        schedule(holder, issued, wait);
    }

    /** The replaced certificate serves connections under way for the grace period; then zeroed (and revoked). */
    private void retire(Holder holder, Issued old) {
        long delay = Math.min(
                settings.grace().toNanos(),
                Math.max(0, Duration.between(Instant.now(), old.notAfter()).toNanos()));
        try {
            timer().schedule(() -> finish(holder, old), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            old.value().destroy();
        }
    }

    private void finish(Holder holder, Issued old) {
        old.value().destroy();
        if (!settings.revokeReplacedCertificates() || closed) {
            return;
        }
        try {
            client.post(
                    holder.mount + "/revoke",
                    Json.createObjectBuilder()
                            .add("serial_number", old.serial())
                            .build(),
                    SecretRef.secret(VaultSettings.STORE, holder.id.toString()));
            LOG.info(() -> "mp-secrets: revoked Vault certificate " + old.serial());
        } catch (SecretException e) {
            LOG.log(
                    Level.WARNING,
                    "mp-secrets: could not revoke Vault certificate " + old.serial() + " (" + e.reason()
                            + "); it stays valid until it expires");
        }
    }

    /** Stops re-issuing and zeroes the certificates held; they are not revoked (they expire on their own). */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor stopping;
        synchronized (this) {
            closed = true;
            stopping = timer;
        }
        if (stopping != null) {
            stopping.shutdownNow();
        }
        for (Holder holder : holders.values()) {
            synchronized (holder) {
                if (holder.issued != null) {
                    holder.issued.value().destroy();
                    holder.issued = null;
                }
            }
        }
        holders.clear();
    }

    @Override
    public String toString() {
        return "VaultPki[" + holders.size() + " certificates]";
    }
}
