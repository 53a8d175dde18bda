package io.mpsecrets.bench;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.crypto.AESGCMNoPaddingSecretKeysHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
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
 * The anchors users compare mp-secrets with, measured in the same run: SmallRye Config's own
 * {@code ${aes-gcm-nopadding::...}} handler (smallrye-config-crypto 3.3.0, the SmallRye Config Open Liberty runs),
 * which decrypts on every lookup, and jasypt-spring-boot's default decryption (jasypt 1.9.3,
 * {@code PBEWITHHMACSHA512ANDAES_256}, 1,000 key-derivation iterations, random salt and IV), which derives its key
 * for every value.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class AnchorBenchmark {

    private static final String PASSWORD = "bench-master-password";

    private SmallRyeConfig smallrye;
    private StandardPBEStringEncryptor jasypt;
    private String jasyptValue;

    @Setup
    public void setup() throws GeneralSecurityException {
        smallrye = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSecretKeysHandlers(new AESGCMNoPaddingSecretKeysHandler(PASSWORD))
                .withSources(new PropertiesConfigSource(
                        Map.of("db.password", "${aes-gcm-nopadding::" + smallryeEncrypt(BenchFixture.PLAINTEXT) + "}"),
                        "app",
                        100))
                .build();
        jasypt = new StandardPBEStringEncryptor();
        jasypt.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
        jasypt.setKeyObtentionIterations(1000);
        jasypt.setIvGenerator(new RandomIvGenerator());
        jasypt.setPassword(PASSWORD);
        jasyptValue = jasypt.encrypt(BenchFixture.PLAINTEXT);
        if (!BenchFixture.PLAINTEXT.equals(smallryeLookup()) || !BenchFixture.PLAINTEXT.equals(jasyptDecrypt())) {
            throw new IllegalStateException("the anchors do not decrypt");
        }
    }

    /**
     * A value as smallrye-config-crypto reads it: base64url of the nonce's length, the nonce and the ciphertext, under
     * the SHA-256 of the configured key.
     */
    private static String smallryeEncrypt(String plaintext) throws GeneralSecurityException {
        byte[] key = MessageDigest.getInstance("SHA-256").digest(PASSWORD.getBytes(StandardCharsets.UTF_8));
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        ByteBuffer out = ByteBuffer.allocate(1 + nonce.length + ciphertext.length);
        out.put((byte) nonce.length).put(nonce).put(ciphertext);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    /** SmallRye Config's {@code ${aes-gcm-nopadding::...}}: a lookup decrypts every time. */
    @Benchmark
    public String smallryeLookup() {
        return smallrye.getValue("db.password", String.class);
    }

    /** jasypt-spring-boot's default decryption of one value. */
    @Benchmark
    public String jasyptDecrypt() {
        return jasypt.decrypt(jasyptValue);
    }
}
