package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.crypto.AESGCMNoPaddingSecretKeysHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReencryptTest {

    private static final EncryptionContext APP = EncryptionContext.forApplication("default");

    @TempDir
    Path dir;

    private Path keyring;

    @BeforeEach
    void keyring() {
        keyring = dir.resolve("keyring.json");
        LocalKeyring.generate("dev").writeTo(keyring, false);
    }

    private String encrypt(String plaintext, String property) {
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyring);
                EnvelopeEncryptor encryptor = new EnvelopeEncryptor(kms, "local", APP)) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        }
    }

    private String decrypt(String value, String property) {
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyring)) {
            return new EnvelopeDecryptor(
                            KmsRegistry.builder().add(kms, keyId -> true).build(), new DataKeyCache(10), APP)
                    .decryptToString(property, EncryptedValue.parse(value, SecretRef.NONE));
        }
    }

    private static Properties load(Path file) throws Exception {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    private CliRun.Result reencrypt(Map<String, String> env, String stdin, String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "reencrypt";
        args[1] = "--keyring";
        args[2] = keyring.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        return CliRun.run(env, stdin, args);
    }

    @Test
    void rewritesEveryValueUnderTheNewestKeyAndLeavesEverythingElseAsItWas() throws Exception {
        String content = "# Orders service\n"
                + "! legacy comment style\n"
                + "\n"
                + "app.name = orders\n"
                + "db.password=" + encrypt("db-" + LeakGuard.CANARY, "db.password") + "\n"
                + "%prod.api.key : " + encrypt("api-" + LeakGuard.CANARY, "api.key") + "\n"
                + "shared.secret   " + encrypt("shared-" + LeakGuard.CANARY, null) + "\n"
                + "long.list=a,\\\n    b,\\\n    c\n"
                + "not.a.secret=ENC is just a word here\n";
        Path file = dir.resolve("microprofile-config.properties");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        LocalKeyring.load(keyring).rotate().writeTo(keyring, true);

        CliRun.Result result = reencrypt(Map.of(), "", file.toString());

        assertEquals(0, result.status(), result.err());
        assertEquals("3 value(s) re-encrypted under local:dev-2 in " + file + "\n", result.out());
        String rewritten = Files.readString(file);
        List<String> before = content.lines().toList();
        List<String> after = rewritten.lines().toList();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).contains("ENC(")) {
                assertThat(after.get(i))
                        .startsWith(before.get(i).substring(0, before.get(i).indexOf("ENC(")))
                        .isNotEqualTo(before.get(i));
            } else {
                assertEquals(before.get(i), after.get(i), "line " + (i + 1) + " is untouched");
            }
        }
        Properties values = load(file);
        assertEquals("db-" + LeakGuard.CANARY, decrypt(values.getProperty("db.password"), "db.password"));
        assertEquals(
                "api-" + LeakGuard.CANARY,
                decrypt(values.getProperty("%prod.api.key"), "api.key"),
                "bound to the unprofiled name");
        EncryptedValue shared = EncryptedValue.parse(values.getProperty("shared.secret"), SecretRef.NONE);
        assertThat(shared.bound()).isFalse();
        assertEquals("local:dev-2", shared.keyId());
        assertEquals("shared-" + LeakGuard.CANARY, decrypt(values.getProperty("shared.secret"), "anything"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .as("no temporary file left; the keyring's writers' lock file stays")
                    .containsExactlyInAnyOrder("keyring.json", "keyring.json.lock", "microprofile-config.properties");
        }
    }

    @Test
    void aValueThatCannotBeReadLeavesTheFileUntouched() throws Exception {
        String good = encrypt("x", "a");
        String tampered = encrypt("y", "b").replaceFirst("ENC\\(AQEA", "ENC(AQAA");
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "a=" + good + "\nb=" + tampered + "\n");
        byte[] original = Files.readAllBytes(file);
        CliRun.Result result = reencrypt(Map.of(), "", file.toString());
        assertEquals(1, result.status());
        assertThat(result.err()).contains("property=b", "line 2", "not changed").doesNotContain("\n\n");
        assertArrayEquals(original, Files.readAllBytes(file));
    }

    @Test
    void dryRunChecksWithoutWriting() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "a=" + encrypt("x", "a") + "\n");
        byte[] original = Files.readAllBytes(file);
        CliRun.Result result = reencrypt(Map.of(), "", file.toString(), "--dry-run");
        assertEquals(0, result.status());
        assertThat(result.out()).contains("1 value(s)", "dry run");
        assertArrayEquals(original, Files.readAllBytes(file));
    }

    @Test
    void manyValuesShowProgressAndShareOneDataKey() throws Exception {
        StringBuilder content = new StringBuilder();
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyring);
                EnvelopeEncryptor encryptor = new EnvelopeEncryptor(kms, "local", APP)) {
            for (int i = 0; i < 1200; i++) {
                content.append("p")
                        .append(i)
                        .append('=')
                        .append(encryptor.encrypt(("v" + i).getBytes(StandardCharsets.UTF_8), "p" + i))
                        .append('\n');
            }
        }
        Path file = dir.resolve("big.properties");
        Files.writeString(file, content);
        CliRun.Result result = reencrypt(Map.of(), "", file.toString());
        assertEquals(0, result.status());
        assertThat(result.err()).contains("500/1200 values", "1000/1200 values");
        Properties values = load(file);
        Set<String> wrappedKeys = new HashSet<>();
        values.forEach((k, v) -> wrappedKeys.add(Base64.getEncoder()
                .encodeToString(EncryptedValue.parse((String) v, SecretRef.NONE).wrappedKey())));
        assertEquals(1, wrappedKeys.size(), "one data key per run");
        assertEquals("v777", decrypt(values.getProperty("p777"), "p777"));
    }

    @Test
    void convertsValuesMadeByJasypt() throws Exception {
        StandardPBEStringEncryptor aes = new StandardPBEStringEncryptor();
        aes.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
        aes.setIvGenerator(new RandomIvGenerator());
        aes.setPassword("jasypt-master-password");
        StandardPBEStringEncryptor des = new StandardPBEStringEncryptor();
        des.setPassword("jasypt-master-password"); // jasypt 1.9's default: PBEWithMD5AndDES
        Path file = dir.resolve("jasypt.properties");
        Files.writeString(file, "db.password=ENC(" + aes.encrypt("aes-" + LeakGuard.CANARY) + ")\n");
        Path legacy = dir.resolve("legacy.properties");
        Files.writeString(legacy, "db.password=ENC(" + des.encrypt("des-" + LeakGuard.CANARY) + ")\n");
        Map<String, String> env = Map.of("JASYPT_PASSWORD", "jasypt-master-password");

        assertEquals(
                0,
                reencrypt(env, "", file.toString(), "--jasypt-password-env", "JASYPT_PASSWORD")
                        .status());
        assertEquals("aes-" + LeakGuard.CANARY, decrypt(load(file).getProperty("db.password"), "db.password"));

        CliRun.Result viaStdin = reencrypt(
                Map.of(),
                "jasypt-master-password\n",
                legacy.toString(),
                "--jasypt-password-stdin",
                "--jasypt-algorithm",
                "PBEWithMD5AndDES");
        assertEquals(0, viaStdin.status(), viaStdin.err());
        assertEquals("des-" + LeakGuard.CANARY, decrypt(load(legacy).getProperty("db.password"), "db.password"));
    }

    @Test
    void aWrongJasyptPasswordFailsAndWritesNothing() throws Exception {
        StandardPBEStringEncryptor aes = new StandardPBEStringEncryptor();
        aes.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
        aes.setIvGenerator(new RandomIvGenerator());
        aes.setPassword("right");
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            content.append("p")
                    .append(i)
                    .append("=ENC(")
                    .append(aes.encrypt("v" + i + LeakGuard.CANARY))
                    .append(")\n");
        }
        Path file = dir.resolve("jasypt.properties");
        Files.writeString(file, content);
        byte[] original = Files.readAllBytes(file);
        CliRun.Result result = reencrypt(Map.of("P", "wrong"), "", file.toString(), "--jasypt-password-env", "P");
        assertEquals(1, result.status());
        assertThat(result.err()).contains("jasypt", "not changed");
        assertArrayEquals(original, Files.readAllBytes(file));
        CliRun.Result noPassword = reencrypt(Map.of(), "", file.toString());
        assertThat(noPassword.err()).contains("--jasypt-password-env");
    }

    /** Values made the way SmallRye's documented encryptor makes them, read by SmallRye's own handler and by ours. */
    @Test
    void convertsSmallRyeAesGcmValues() throws Exception {
        String key = "smallrye-encryption-key-for-tests";
        String plaintext = "smallrye-" + LeakGuard.CANARY;
        String value = smallRyeEncrypt(key, plaintext);
        assertEquals(plaintext, new AESGCMNoPaddingSecretKeysHandler(key).decode(value));

        Path file = dir.resolve("smallrye.properties");
        Files.writeString(
                file,
                "smallrye.config.secret-handler.aes-gcm-nopadding.encryption-key=" + key + "\n"
                        + "api.key=${aes-gcm-nopadding::" + value + "}\n");
        CliRun.Result result = reencrypt(Map.of(), "", file.toString());
        assertEquals(0, result.status(), result.err());
        assertThat(result.err()).contains("remove it");
        assertEquals(plaintext, decrypt(load(file).getProperty("api.key"), "api.key"));

        Path withEnvKey = dir.resolve("smallrye-env.properties");
        Files.writeString(withEnvKey, "api.key=${aes-gcm-nopadding::" + value + "}\n");
        assertEquals(1, reencrypt(Map.of(), "", withEnvKey.toString()).status());
        assertEquals(
                0,
                reencrypt(Map.of("SR_KEY", key), "", withEnvKey.toString(), "--smallrye-key-env", "SR_KEY")
                        .status());
        assertEquals(plaintext, decrypt(load(withEnvKey).getProperty("api.key"), "api.key"));
    }

    private static String smallRyeEncrypt(String key, String plaintext) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                Cipher.ENCRYPT_MODE,
                new SecretKeySpec(
                        MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)), "AES"),
                new GCMParameterSpec(128, iv));
        byte[] encrypted = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        ByteBuffer message = ByteBuffer.allocate(1 + iv.length + encrypted.length)
                .put((byte) iv.length)
                .put(iv)
                .put(encrypted);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(message.array());
    }

    /** Issue 34 item 7: a Latin-1 byte said only "unexpected java.nio.charset.MalformedInputException". */
    @Test
    void aFileThatIsNotUtf8IsNamedWithItsLine() throws Exception {
        Path file = dir.resolve("app.properties");
        byte[] latin1 = ("a=" + encrypt("x", "a") + "\r\n# caf\u00e9\nb=1\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, latin1);
        CliRun.Result result = reencrypt(Map.of(), "", file.toString());
        assertEquals(1, result.status());
        assertEquals(
                "mpsecrets: " + file + " line 2 is not UTF-8 (save the file as UTF-8, as MicroProfile Config reads it);"
                        + " the file was not changed\n",
                result.err());
        assertArrayEquals(latin1, Files.readAllBytes(file));
    }

    /**
     * Issue 34 item 7: a file that could not be written said only "unexpected java.nio.file...". Root writes a
     * read-only file, so the failure here is one no user escapes: a name so long that the temporary file's name is
     * over the file system's limit.
     */
    @Test
    void aFileThatCannotBeWrittenIsNamedWithTheReason() throws Exception {
        Path file = dir.resolve("a".repeat(240) + ".properties");
        String content = "a=" + encrypt("x", "a") + "\n";
        Files.writeString(file, content);
        CliRun.Result result = reencrypt(Map.of(), "", file.toString());
        assertEquals(1, result.status(), result.err());
        assertEquals(
                "mpsecrets: cannot write " + file + ": File name too long; the file was not changed\n", result.err());
        assertEquals(content, Files.readString(file));
    }

    /**
     * Issue 34 item 6: a run killed while it wrote the new file left its half-written temporary file beside it, and no
     * later run removed it.
     */
    @Test
    void aTemporaryFileLeftByAKilledRunIsRemovedByTheNextRun() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "a=" + encrypt("x", "a") + "\n");
        Path leftover = dir.resolve(".app.properties-4811627191339218.tmp");
        Files.writeString(leftover, "a=ENC(AQEA");
        CliRun.Result result = reencrypt(Map.of(), "", file.toString());
        assertEquals(0, result.status(), result.err());
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("keyring.json", "keyring.json.lock", "app.properties");
        }
    }

    @Test
    void usageErrors() {
        assertEquals(
                2,
                reencrypt(Map.of(), "", dir.resolve("absent.properties").toString())
                        .status());
        assertEquals(2, CliRun.run(Map.of(), "", "reencrypt").status());
    }
}
