package io.mpsecrets.vault;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.ContentVersion;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Vault's answers about leased paths, read into what {@link VaultLeases} keeps: the answer to a read (a new lease, a
 * value without one such as a static role's, or a lease that cannot be kept and must be given back), the seconds a
 * renewal granted, the seconds a lookup says a lease has left. Failures are typed and never quote the answer; the
 * fuzz target {@code VaultLeaseAnswersFuzzTest} feeds these any bytes.
 */
final class LeaseAnswers {

    /** The longest {@code last_vault_rotation} read: an RFC 3339 time with nanoseconds and an offset is 35. */
    private static final int MAX_TIME_LENGTH = 64;

    private LeaseAnswers() {}

    /** What a read of a leased path answered. */
    sealed interface Read permits Issued, Unleased, Refused {}

    /** A new lease: its id, its duration (more than 0), whether Vault renews it, and its data. */
    record Issued(String leaseId, long ttlSeconds, boolean renewable, SecretValue value) implements Read {
        @Override
        public String toString() {
            return "Issued[" + handle(leaseId) + ", " + ttlSeconds + " s]";
        }
    }

    /**
     * A value without a lease, such as a static role's ({@code database/static-creds/<role>}): versioned by its
     * {@code last_vault_rotation} when it has one, else by its content without its {@code ttl}; valid for
     * {@code ttlSeconds} (the data's {@code ttl}: the time to Vault's next rotation) when it says.
     */
    record Unleased(SecretValue value, Optional<Long> ttlSeconds) implements Read {}

    /** A lease Vault issued whose answer cannot be kept: it is revoked, and the read fails with {@code failure}. */
    record Refused(String leaseId, SecretException failure) implements Read {
        @Override
        public String toString() {
            return "Refused[" + handle(leaseId) + ", " + failure.reason() + "]";
        }
    }

    /**
     * The answer to {@code GET /v1/<leased path>}. Once it names a lease, every other failure to read it is a
     * {@link Refused}, so that the lease is given back rather than left to Vault's TTL.
     *
     * @throws SecretException when the answer has no usable lease id and cannot be read
     */
    static Read read(JsonObject answer, SecretRef ref) {
        String leaseId = VaultJson.string(answer, "lease_id", ref).orElse("");
        if (leaseId.isEmpty()) {
            return unleased(answer, ref);
        }
        try {
            long ttl = VaultJson.seconds(answer, "lease_duration", ref);
            if (ttl == 0) {
                throw new InvalidSecretValueException(ref, "Vault issued a lease without a lease_duration");
            }
            boolean renewable = VaultJson.bool(answer, "renewable", ref);
            return new Issued(leaseId, ttl, renewable, VaultJson.dataValue(answer, ref));
        } catch (SecretException failure) {
            return new Refused(leaseId, failure);
        }
    }

    private static Unleased unleased(JsonObject answer, SecretRef ref) {
        JsonObject data = VaultJson.data(answer, ref);
        Optional<Long> ttl = VaultJson.number(data, "ttl", ref);
        Optional<Instant> rotated =
                VaultJson.string(data, "last_vault_rotation", ref).map(text -> instant(text, ref));
        byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
        try {
            String version = rotated.map(Instant::toString).orElseGet(() -> contentVersion(data));
            return new Unleased(SecretValue.of(bytes, version, rotated.orElse(null)), ttl);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A version of the content without {@code ttl}, which counts down from one read to the next. */
    private static String contentVersion(JsonObject data) {
        JsonObjectBuilder stable = Json.createObjectBuilder(data);
        stable.remove("ttl");
        byte[] bytes = stable.build().toString().getBytes(StandardCharsets.UTF_8);
        try {
            return ContentVersion.of(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A time as Vault writes it (Go's RFC 3339, with an offset and up to nanoseconds). */
    private static Instant instant(String text, SecretRef ref) {
        if (text.length() <= MAX_TIME_LENGTH) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                // below
            }
        }
        throw new InvalidSecretValueException(ref, "Vault's answer has a 'last_vault_rotation' that is not a time");
    }

    /**
     * A lease's printable name, the first 16 hex digits of its id's SHA-256: lease ids are never printed, and logs
     * and versions carry this instead.
     */
    static String handle(String leaseId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaseId.getBytes(StandardCharsets.UTF_8));
            return "lease-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The seconds {@code sys/leases/renew} granted ({@code lease_duration}); 0 when it does not say. */
    static long granted(JsonObject answer, SecretRef ref) {
        return VaultJson.seconds(answer, "lease_duration", ref);
    }

    /** The seconds {@code sys/leases/lookup} says a lease has left ({@code data.ttl}), when it says. */
    static Optional<Long> remaining(JsonObject answer, SecretRef ref) {
        return VaultJson.number(VaultJson.object(answer, "data", ref), "ttl", ref);
    }
}
