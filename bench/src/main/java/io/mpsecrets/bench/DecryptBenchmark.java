package io.mpsecrets.bench;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import io.mpsecrets.kms.local.LocalKeyringKms;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decrypting one value with its data key already unwrapped, against the floor of raw JCA AES-256-GCM decryption of
 * the same size with a {@code Cipher} that is reused ({@link #rawJcaDecryptReusedCipher}; target: within 2x) and one
 * made for each value ({@link #rawJcaDecrypt}); and a first read, the data key unwrapped by the local keyring too.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DecryptBenchmark {

    private EnvelopeDecryptor decryptor;
    private KmsRegistry kms;
    private Cipher reusedCipher;
    private String text;
    private EncryptedValue parsed;

    private SecretKey rawKey;
    private byte[] rawNonce;
    private byte[] rawCiphertext;
    private byte[] rawAad;

    @Setup
    public void setup() throws GeneralSecurityException {
        BenchFixture fixture = new BenchFixture();
        text = fixture.encrypted;
        parsed = EncryptedValue.parse(text, SecretRef.NONE);
        kms = KmsRegistry.builder()
                .add(LocalKeyringKms.of(fixture.keyring), keyId -> true)
                .build();
        decryptor = new EnvelopeDecryptor(kms, new DataKeyCache(10), EncryptionContext.forApplication("default"));
        if (!BenchFixture.PLAINTEXT.equals(decryptor.decryptToString("db.password", parsed))) {
            throw new IllegalStateException("does not decrypt");
        }

        // The same work done by hand: same key size, plaintext size and associated data size.
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        rawKey = new SecretKeySpec(key, "AES");
        rawNonce = new byte[12];
        random.nextBytes(rawNonce);
        rawAad = new byte[text.length() / 2];
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        cipher.updateAAD(rawAad);
        rawCiphertext = cipher.doFinal(BenchFixture.PLAINTEXT.getBytes(StandardCharsets.UTF_8));
        reusedCipher = Cipher.getInstance("AES/GCM/NoPadding");
    }

    /** Floor: JCA AES-256-GCM decryption of a value of the same size, to a String, reusing its {@code Cipher}. */
    @Benchmark
    public String rawJcaDecryptReusedCipher() throws GeneralSecurityException {
        reusedCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        reusedCipher.updateAAD(rawAad);
        return new String(reusedCipher.doFinal(rawCiphertext), StandardCharsets.UTF_8);
    }

    /** Baseline: JCA AES-256-GCM decryption of a value of the same size, to a String, with a new {@code Cipher}. */
    @Benchmark
    public String rawJcaDecrypt() throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        cipher.updateAAD(rawAad);
        return new String(cipher.doFinal(rawCiphertext), StandardCharsets.UTF_8);
    }

    /** mp-secrets: a parsed value, data key from the cache, authenticated decryption to a String. */
    @Benchmark
    public String warmDecrypt() {
        return decryptor.decryptToString("db.password", parsed);
    }

    /**
     * A first read: the value's data key unwrapped by the local keyring (no data key cached), then the value
     * decrypted.
     */
    @Benchmark
    public String firstDecrypt() {
        return new EnvelopeDecryptor(kms, new DataKeyCache(1), EncryptionContext.forApplication("default"))
                .decryptToString("db.password", parsed);
    }

    /** The same from the ENC(...) text: parsing (base64url) included. */
    @Benchmark
    public String warmDecryptFromText() {
        return decryptor.decryptToString("db.password", EncryptedValue.parse(text, SecretRef.NONE));
    }
}
