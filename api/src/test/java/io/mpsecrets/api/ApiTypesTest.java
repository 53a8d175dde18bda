package io.mpsecrets.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpsecrets.api.event.Outcome;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretExpiring;
import io.mpsecrets.api.event.SecretFailover;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiTypesTest {

    private static final WorkerContext WORKER = new WorkerContext("orders", "orders-web", "worker-1");
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void secretValueRedactsItselfAndZeroesOnDestroy() {
        SecretValue value = SecretValue.ofUtf8(LeakGuard.CANARY, "v3", T);
        assertEquals("SecretValue[version=v3, redacted]", value.toString());
        LeakGuard.assertNoLeak(value);
        assertEquals(LeakGuard.CANARY, value.asString());
        assertEquals(Optional.of("v3"), value.version());

        byte[] copy = value.bytes();
        copy[0] = 'X';
        assertEquals(LeakGuard.CANARY, value.asString(), "accessors hand out copies");

        assertTrue(value.contentEquals(SecretValue.ofUtf8(LeakGuard.CANARY, "v9", null)));
        assertFalse(value.contentEquals(SecretValue.ofUtf8("other", "v3", null)));

        value.destroy();
        assertTrue(value.isDestroyed());
        assertThrows(IllegalStateException.class, value::asString);
        assertEquals("SecretValue[version=v3, destroyed]", value.toString());
    }

    @Test
    void secretValueCopiesWhatItIsGiven() {
        byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
        SecretValue value = SecretValue.of(bytes, null, null);
        bytes[0] = 'z';
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), value.bytes());
        assertEquals("SecretValue[redacted]", value.toString());
    }

    @Test
    void dataKeysRedactAndDestroy() {
        DataKey key = DataKey.copyOf(new byte[32]);
        assertEquals("DataKey[redacted]", key.toString());
        key.destroy();
        assertThrows(IllegalStateException.class, key::secretKey);
        assertThrows(IllegalArgumentException.class, () -> DataKey.copyOf(new byte[16]));
        GeneratedDataKey generated = new GeneratedDataKey("local:dev-1", new byte[61], DataKey.copyOf(new byte[32]));
        assertEquals(
                "GeneratedDataKey[keyId=local:dev-1, wrapped=61 bytes, key=DataKey[redacted]]", generated.toString());
    }

    @Test
    void secretIdsParsePathAndField() {
        assertEquals(new SecretId("prod/payments", "api_key"), SecretId.parse("prod/payments#api_key"));
        assertEquals(new SecretId("prod/db", null), SecretId.parse("prod/db"));
        assertEquals(
                "prod/payments#api_key", SecretId.parse("prod/payments#api_key").toString());
        assertEquals(SecretId.of("a"), SecretId.parse("a#"));
        assertEquals(SecretId.of("a"), new SecretId("a", "f").withoutField());
        assertThrows(IllegalArgumentException.class, () -> SecretId.parse(" "));
        SecretId previous = SecretId.parse("prod/db?stage=AWSPREVIOUS#password");
        assertEquals(new SecretId("prod/db", "password", null, "AWSPREVIOUS"), previous);
        assertEquals("prod/db?stage=AWSPREVIOUS#password", previous.toString());
        assertEquals(new SecretId("secret/orders", null, "3", null), SecretId.parse("secret/orders?version=3"));
        assertEquals(SecretId.parse("prod/db#password"), previous.current());
        // Parameter Store's labels are the same selector as stages.
        assertEquals(new SecretId("/orders/key", null, null, "blue"), SecretId.parse("/orders/key?label=blue"));
        assertThrows(IllegalArgumentException.class, () -> SecretId.parse("prod/db?colour=x"));
    }

    @Test
    void secretIdsAreEqualWhenEveryPartIsAndHashAlike() {
        SecretId id = new SecretId("prod/db", "password", "v1", null);
        SecretId same = new SecretId("prod/db", "password", "v1", "");
        assertEquals(id, same);
        assertEquals(id.hashCode(), same.hashCode());
        for (SecretId other : List.of(
                new SecretId("prod/db2", "password", "v1", null),
                new SecretId("prod/db", "user", "v1", null),
                new SecretId("prod/db", null, "v1", null),
                new SecretId("prod/db", "password", "v2", null),
                new SecretId("prod/db", "password", null, "AWSCURRENT"))) {
            assertNotEquals(id, other);
            assertNotEquals(other, id);
        }
        assertNotEquals(id, "prod/db#password");
    }

    @Test
    void encryptionContextsAreSortedAndImmutable() {
        EncryptionContext context = new EncryptionContext(Map.of("b", "2", "a", "1"));
        assertEquals(List.of("a", "b"), List.copyOf(context.entries().keySet()));
        assertThrows(
                UnsupportedOperationException.class, () -> context.entries().put("c", "3"));
        assertEquals(
                Map.of("mpsecrets:app", "orders"),
                EncryptionContext.forApplication("orders").entries());
    }

    @Test
    void exceptionMessagesNameTheSecretAndTheReasonOnly() {
        SecretException e =
                new UnknownKeyException(SecretRef.key("local:dev-9"), "keyring 'dev' has no key version 9", null);
        assertEquals(
                "mp-secrets: UNKNOWN_KEY: no such key; keyring 'dev' has no key version 9 [key=local:dev-9]",
                e.getMessage());
        SecretException named = e.withProperty("db.password");
        assertTrue(named instanceof UnknownKeyException);
        assertEquals("db.password", named.ref().property());
        assertTrue(named.getMessage().endsWith("[property=db.password key=local:dev-9]"));
        assertArrayEquals(e.getStackTrace(), named.getStackTrace());
        assertEquals(
                "mp-secrets: CONFIGURATION: invalid mp-secrets configuration; mpsecrets.kms is not set",
                new io.mpsecrets.api.exception.ConfigurationException("mpsecrets.kms is not set").getMessage(),
                "a failure that names nothing has no empty suffix");
    }

    @Test
    void exceptionTypesAcceptOnlyTheirReasons() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new DecryptionFailedException(FailureReason.THROTTLED, SecretRef.NONE, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ServiceUnavailableException(FailureReason.NOT_FOUND, SecretRef.NONE, null, null));
        assertEquals(
                FailureReason.TIMEOUT,
                new ServiceUnavailableException(FailureReason.TIMEOUT, SecretRef.NONE, null, null).reason());
    }

    @Test
    void eventsCarryNamesVersionsAndOutcomes() {
        SecretRef ref = new SecretRef("db.password", "aws", "prod/db", null, "v2");
        SecretEvent rotated = new SecretRotated(T, ref, "v1", WORKER);
        assertEquals(
                Map.of(
                        "event",
                        "rotated",
                        "property",
                        "db.password",
                        "backend",
                        "aws",
                        "secret",
                        "prod/db",
                        "version",
                        "v2",
                        "previous",
                        "v1",
                        "outcome",
                        "ok",
                        "app",
                        "orders",
                        "module",
                        "orders-web",
                        "thread",
                        "worker-1"),
                rotated.attributes());
        assertEquals(
                List.of(
                        "event",
                        "property",
                        "backend",
                        "secret",
                        "version",
                        "previous",
                        "outcome",
                        "app",
                        "module",
                        "thread"),
                List.copyOf(rotated.attributes().keySet()),
                "a fixed order for log lines");
        assertEquals(Outcome.STALE, new SecretFailure(T, ref, FailureReason.UNAVAILABLE, true, WORKER).outcome());
        assertEquals(Outcome.DENIED, new SecretAccessDenied(T, ref, WORKER).outcome());
        assertEquals("expiring", new SecretExpiring(T, ref, T, T.plusSeconds(60), "critical", WORKER).type());
        assertThrows(NullPointerException.class, () -> new SecretDecrypted(null, ref, WORKER));
        SecretFailover failover =
                new SecretFailover(T, ref, "eu-central-1", "eu-west-1", FailureReason.UNAVAILABLE, WORKER);
        assertEquals(Outcome.WARNING, failover.outcome());
        assertEquals(Map.of("from", "eu-central-1", "to", "eu-west-1", "reason", "UNAVAILABLE"), failover.details());
        assertEquals("failover", failover.attributes().get("event"));
    }

    /** No event type has a component that could hold a value: only identifiers, times, enums and flags. */
    @Test
    void noEventComponentCanHoldAValue() {
        for (Class<?> type : SecretEvent.class.getPermittedSubclasses()) {
            for (RecordComponent component : type.getRecordComponents()) {
                Class<?> t = component.getType();
                boolean allowed = t == Instant.class
                        || t == SecretRef.class
                        || t == WorkerContext.class
                        || t.isEnum()
                        || t == boolean.class
                        || (t == String.class
                                // versions, a validation class, and the regions a failover went from and to
                                && List.of("previousVersion", "secretClass", "from", "to")
                                        .contains(component.getName()));
                assertTrue(allowed, type.getSimpleName() + "." + component.getName() + " is a " + t.getSimpleName());
            }
        }
        for (RecordComponent component : SecretRef.class.getRecordComponents()) {
            assertEquals(String.class, component.getType());
        }
        assertEquals(8, SecretEvent.class.getPermittedSubclasses().length);
    }

    @Test
    void aFailureCrossesASerializationBoundaryWithItsNames() throws Exception {
        SecretException failure = new io.mpsecrets.api.exception.SecretNotFoundException(
                new SecretRef("db.password", "vault", "secret/orders", null, "3"), "no such secret");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(failure);
        }
        SecretException read;
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            read = (SecretException) in.readObject();
        }
        assertEquals(failure.getMessage(), read.getMessage());
        assertEquals(failure.reason(), read.reason());
        assertEquals(failure.ref(), read.ref());
    }

    @Test
    void aSettingThatCannotBeAPathIsNamedNotQuoted() {
        io.mpsecrets.api.backend.Settings settings = new io.mpsecrets.api.backend.Settings(
                name -> java.util.Optional.of("/run/secrets/\u0000" + LeakGuard.CANARY));
        io.mpsecrets.api.exception.ConfigurationException refused = assertThrows(
                io.mpsecrets.api.exception.ConfigurationException.class, () -> settings.path("mpsecrets.file.dir"));
        assertTrue(refused.getMessage().contains("mpsecrets.file.dir is not a path"), refused.getMessage());
        assertFalse(refused.getMessage().contains("run/secrets"), "the text is not quoted");
        LeakGuard.assertNoLeak(refused);
    }
}
