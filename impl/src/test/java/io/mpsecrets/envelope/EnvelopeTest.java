package io.mpsecrets.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.crypto.AesGcm;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static final EncryptionContext APP = EncryptionContext.forApplication("orders");

    private final LocalKeyring keyring = LocalKeyring.generate("dev");
    private final CountingKms kms = new CountingKms(LocalKeyringKms.of(keyring));

    private EnvelopeDecryptor decryptor(KeyManagementService service, EncryptionContext context) {
        return new EnvelopeDecryptor(
                KmsRegistry.builder().add(service, keyId -> true).build(), new DataKeyCache(100), context);
    }

    private String encrypt(String plaintext, String property) {
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(kms, "local:dev", APP)) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        }
    }

    private static String open(EnvelopeDecryptor decryptor, String property, String text) {
        return decryptor.decryptToString(property, EncryptedValue.parse(text, SecretRef.property(property)));
    }

    @Test
    void boundValuesDecryptOnlyAsTheirProperty() {
        String text = encrypt(Fixtures.SECRET, "db.password");
        EnvelopeDecryptor decryptor = decryptor(kms, APP);
        assertEquals(Fixtures.SECRET, open(decryptor, "db.password", text));

        DecryptionFailedException moved =
                assertThrows(DecryptionFailedException.class, () -> open(decryptor, "app.greeting", text));
        assertEquals(FailureReason.NOT_AUTHENTIC, moved.reason());
        assertThat(moved.getMessage()).contains("property=app.greeting", "key=local:dev-1", "bound");
        LeakGuard.assertNoLeak(moved);
    }

    @Test
    void unboundValuesDecryptUnderAnyName() {
        String text = encrypt(Fixtures.SECRET, null);
        EnvelopeDecryptor decryptor = decryptor(kms, APP);
        assertEquals(Fixtures.SECRET, open(decryptor, "a", text));
        assertEquals(Fixtures.SECRET, open(decryptor, "b", text));
    }

    @Test
    void anotherKeyringWithTheSameNameCannotUnwrap() {
        String text = encrypt(Fixtures.SECRET, "db.password");
        EnvelopeDecryptor other = decryptor(LocalKeyringKms.of(LocalKeyring.generate("dev")), APP);
        DecryptionFailedException e =
                assertThrows(DecryptionFailedException.class, () -> open(other, "db.password", text));
        assertEquals(FailureReason.WRONG_KEY, e.reason());
        assertThat(e.getMessage()).contains("property=db.password", "key=local:dev-1");
        LeakGuard.assertNoLeak(e);
    }

    @Test
    void aKeyringOfAnotherNameOrAMissingVersionIsAnUnknownKey() {
        String text = encrypt(Fixtures.SECRET, "db.password");
        EnvelopeDecryptor prod = decryptor(LocalKeyringKms.of(LocalKeyring.generate("prod")), APP);
        UnknownKeyException e = assertThrows(UnknownKeyException.class, () -> open(prod, "db.password", text));
        assertThat(e.getMessage()).contains("key=local:dev-1", "'prod'");

        String v2 = Fixtures.encrypt(keyring.rotate(), "x", "p");
        UnknownKeyException missing = assertThrows(
                UnknownKeyException.class,
                () -> open(decryptor(kms, EncryptionContext.forApplication("default")), "p", v2));
        assertThat(missing.getMessage()).contains("no key version 2");
    }

    @Test
    void anotherWorkerContextCannotUnwrap() {
        String text = encrypt(Fixtures.SECRET, "db.password");
        DecryptionFailedException e = assertThrows(
                DecryptionFailedException.class,
                () -> open(decryptor(kms, EncryptionContext.forApplication("billing")), "db.password", text));
        assertEquals(FailureReason.WRONG_KEY, e.reason());
    }

    @Test
    void oldKeyVersionsKeepDecryptingAfterRotation() {
        String v1 = encrypt(Fixtures.SECRET, "p");
        LocalKeyring rotated = keyring.rotate();
        String v2 = Fixtures.encrypt(rotated, "new", "p");
        EnvelopeDecryptor decryptor =
                decryptor(LocalKeyringKms.of(rotated), EncryptionContext.forApplication("default"));
        assertThat(EncryptedValue.parse(v2, SecretRef.NONE).keyId()).isEqualTo("local:dev-2");
        assertEquals("new", open(decryptor, "p", v2));
        assertEquals(Fixtures.SECRET, open(decryptor(LocalKeyringKms.of(rotated), APP), "p", v1));
    }

    /** Every single-bit flip of every sample value is refused; none yields any plaintext. */
    @Test
    void everySingleBitFlipIsRejected() {
        List<String> samples = List.of(
                encrypt(Fixtures.SECRET, "db.password"),
                encrypt(Fixtures.SECRET, null),
                encrypt("x".repeat(300) + Fixtures.SECRET, "long.value"));
        Map<FailureReason, Integer> reasons = new EnumMap<>(FailureReason.class);
        int flips = 0;
        for (String sample : samples) {
            EnvelopeDecryptor decryptor = decryptor(kms, APP);
            byte[] bytes = Base64.getUrlDecoder().decode(sample.substring(4, sample.length() - 1));
            String property = sample == samples.get(2) ? "long.value" : "db.password";
            for (int bit = 0; bit < bytes.length * 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                String text = "ENC(" + Base64.getUrlEncoder().withoutPadding().encodeToString(flipped) + ")";
                try {
                    String plaintext = open(decryptor, property, text);
                    fail("bit " + bit + " flipped was accepted (" + plaintext.length() + " chars returned)");
                } catch (SecretException e) {
                    reasons.merge(e.reason(), 1, Integer::sum);
                    assertThat(e.getMessage()).contains("property=" + property).doesNotContain(LeakGuard.CANARY);
                    if (flips % 97 == 0) {
                        LeakGuard.assertNoLeak(e);
                    }
                }
                flips++;
            }
        }
        assertThat(flips).isGreaterThan(3000);
        // Flips land in each part of the format, and each part fails its own way.
        assertThat(reasons)
                .containsKeys(
                        FailureReason.MALFORMED,
                        FailureReason.UNKNOWN_KEY,
                        FailureReason.WRONG_KEY,
                        FailureReason.NOT_AUTHENTIC);
        assertEquals(
                flips, reasons.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void aThousandValuesSharingADataKeyCostOneUnwrap() {
        List<String> values = new ArrayList<>();
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(kms, "local:dev", APP)) {
            for (int i = 0; i < 1000; i++) {
                values.add(encryptor.encrypt(("v" + i).getBytes(StandardCharsets.UTF_8), "p" + i));
            }
        }
        assertEquals(1, kms.generated.get(), "one data key per encryptor");
        EnvelopeDecryptor decryptor = decryptor(kms, APP);
        for (int i = 0; i < values.size(); i++) {
            assertEquals("v" + i, open(decryptor, "p" + i, values.get(i)));
        }
        assertEquals(1, kms.unwrapped.get(), "one KMS decrypt for 1000 values");
    }

    @Test
    void concurrentFirstReadsUnwrapOnce() throws Exception {
        String text = encrypt(Fixtures.SECRET, "p");
        CountingKms slow = new CountingKms(LocalKeyringKms.of(keyring)) {
            @Override
            public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
                sleep(50);
                return super.decrypt(keyId, wrappedKey, context);
            }
        };
        EnvelopeDecryptor decryptor = decryptor(slow, APP);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return open(decryptor, "p", text);
                }));
            }
            go.countDown();
            for (Future<String> result : results) {
                assertEquals(Fixtures.SECRET, result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, slow.unwrapped.get());
    }

    @Test
    void theDataKeyCacheIsBoundedAndZeroesWhatItEvicts() {
        DataKeyCache cache = new DataKeyCache(2);
        List<DataKey> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] wrapped = {(byte) i};
            cache.get("k", wrapped, () -> {
                DataKey key = DataKey.copyOf(AesGcm.randomKey());
                made.add(key);
                return key;
            });
        }
        assertEquals(2, cache.size());
        assertThat(made.get(0).isDestroyed()).isTrue();
        assertThat(made.get(2).isDestroyed()).isFalse();
        cache.close();
        assertThat(made).allMatch(DataKey::isDestroyed);
        assertEquals(0, cache.size());
    }

    @Test
    void aFailedUnwrapIsNotCachedAndReachesEveryWaiter() {
        DataKeyCache cache = new DataKeyCache(10);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThrows(
                    DecryptionFailedException.class,
                    () -> cache.get("k", new byte[] {1}, () -> {
                        calls.incrementAndGet();
                        throw new DecryptionFailedException(FailureReason.WRONG_KEY, SecretRef.key("k"), null, null);
                    }));
        }
        assertEquals(2, calls.get());
    }

    @Test
    void decryptedBytesAreExactlyThePlaintext() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        String text;
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(kms, "local:dev", APP)) {
            text = encryptor.encrypt(binary, "bin");
        }
        assertArrayEquals(binary, decryptor(kms, APP).decrypt("bin", EncryptedValue.parse(text, SecretRef.NONE)));
        // Not UTF-8: refused as text rather than mangled.
        assertEquals(
                FailureReason.INVALID_VALUE,
                assertThrows(SecretException.class, () -> open(decryptor(kms, APP), "bin", text))
                        .reason());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts calls through to a real KMS. */
    static class CountingKms implements KeyManagementService {
        final KeyManagementService delegate;
        final AtomicInteger generated = new AtomicInteger();
        final AtomicInteger unwrapped = new AtomicInteger();

        CountingKms(KeyManagementService delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
            generated.incrementAndGet();
            return delegate.generateDataKey(keyId, context);
        }

        @Override
        public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
            unwrapped.incrementAndGet();
            return delegate.decrypt(keyId, wrappedKey, context);
        }
    }
}
