package io.mpsecrets.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fuzz target for Vault's answers about leased paths: any body is read as the answer to a read of a leased path (a
 * new lease, a static role's value without one, or a lease that cannot be kept), to a renewal and to a lookup. The
 * outcomes are results within their bounds or {@link SecretException}s, nothing else; an answer that names a lease is
 * never a plain failure (the lease would be left unrevoked); a version, which goes into audit lines, is an instant or
 * a content hash; no failure quotes the answer's password.
 */
class VaultLeaseAnswersFuzzTest {

    private static final SecretRef REF = SecretRef.secret("vault", "database/creds/orders");
    private static final long TEN_YEARS = 10L * 366 * 24 * 3600;
    private static final Pattern VERSION =
            Pattern.compile("-?\\+?\\d{4,10}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d{1,9})?)?Z|h-[0-9a-f]{16}");

    @FuzzTest(maxDuration = "")
    void leaseAnswer(byte[] body) {
        JsonObject json;
        try {
            json = VaultJson.parse(body.clone(), REF);
        } catch (SecretException expected) {
            return;
        }
        String password = password(json);
        boolean namesALease =
                json.get("lease_id") instanceof JsonString id && !id.getString().isEmpty();
        try {
            LeaseAnswers.Read read = LeaseAnswers.read(json, REF);
            if (read instanceof LeaseAnswers.Issued issued) {
                assertTrue(namesALease);
                assertTrue(issued.ttlSeconds() > 0 && issued.ttlSeconds() <= TEN_YEARS);
                assertTrue(issued.value().version().isPresent());
                issued.value().destroy();
            } else if (read instanceof LeaseAnswers.Refused refused) {
                assertTrue(namesALease);
                assertEquals(FailureReason.INVALID_VALUE, refused.failure().reason());
                noLeak(refused.failure(), password);
            } else {
                assertFalse(namesALease);
                LeaseAnswers.Unleased unleased = (LeaseAnswers.Unleased) read;
                SecretValue value = unleased.value();
                assertTrue(VERSION.matcher(value.version().orElseThrow()).matches(), value.version()::get);
                unleased.ttlSeconds().ifPresent(ttl -> assertTrue(ttl >= 0 && ttl <= TEN_YEARS));
                value.destroy();
            }
        } catch (SecretException failure) {
            assertFalse(namesALease, "an answer naming a lease is refused with the lease, to revoke it");
            noLeak(failure, password);
        }
        try {
            long granted = LeaseAnswers.granted(json, REF);
            assertTrue(granted >= 0 && granted <= TEN_YEARS);
        } catch (SecretException failure) {
            noLeak(failure, password);
        }
        try {
            Optional<Long> left = LeaseAnswers.remaining(json, REF);
            left.ifPresent(ttl -> assertTrue(ttl >= 0 && ttl <= TEN_YEARS));
        } catch (SecretException failure) {
            noLeak(failure, password);
        }
    }

    /** The answer's {@code data.password}, when it is long enough that finding it in a message is no accident. */
    private static String password(JsonObject json) {
        if (json.get("data") instanceof JsonObject data
                && data.get("password") instanceof JsonString text
                && text.getString().length() >= 16) {
            return text.getString();
        }
        return null;
    }

    private static void noLeak(SecretException failure, String password) {
        if (password != null) {
            assertFalse(failure.getMessage().contains(password), "the failure quotes the password");
        }
    }
}
