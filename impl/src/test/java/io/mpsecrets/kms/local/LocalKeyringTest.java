package io.mpsecrets.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyringTest {

    @TempDir
    Path dir;

    @Test
    void aNewKeyringFileIsReadableByItsOwnerOnly() throws IOException {
        Path file = dir.resolve("nested/keyring.json");
        LocalKeyring.generate("dev").writeTo(file, false);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        Path lock = dir.resolve("nested/keyring.json.lock");
        try (var listing = Files.list(file.getParent())) {
            // No temporary file left behind; the writers' lock file stays (empty, owner-only) for the next writer.
            assertThat(listing).containsExactlyInAnyOrder(file, lock);
        }
        assertEquals(0, Files.size(lock));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lock)));
        LocalKeyring loaded = LocalKeyring.load(file);
        assertEquals("dev", loaded.name());
        assertEquals(1, loaded.primary().version());
    }

    @Test
    void anExistingKeyringIsNeverOverwrittenByKeygen() {
        Path file = dir.resolve("keyring.json");
        LocalKeyring.generate("dev").writeTo(file, false);
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> LocalKeyring.generate("dev").writeTo(file, false));
        assertThat(e.getMessage()).contains("already exists", "--rotate");
    }

    @Test
    void rotationAddsAPrimaryVersionAndKeepsTheOldOnes() {
        Path file = dir.resolve("keyring.json");
        LocalKeyring first = LocalKeyring.generate("dev");
        first.writeTo(file, false);
        LocalKeyring.load(file).rotate().writeTo(file, true);
        LocalKeyring rotated = LocalKeyring.load(file);
        assertEquals(2, rotated.primary().version());
        assertThat(rotated.keys().keySet()).containsExactly(1, 2);
        assertThat(rotated.keyId(1)).isEqualTo("local:dev-1");
    }

    @Test
    void aVersionRemovedFromTheFileIsNeverIssuedAgain() throws IOException {
        Path file = dir.resolve("keyring.json");
        LocalKeyring.create(file, "dev", LocalKeyring.LOCK_WAIT).close();
        LocalKeyring.rotate(file, LocalKeyring.LOCK_WAIT).close();
        LocalKeyring.rotate(file, LocalKeyring.LOCK_WAIT).close();
        // An operator retires version 3 by editing the file (the runbook's breach response), primary back to 2.
        jakarta.json.JsonObject json;
        try (var reader = jakarta.json.Json.createReader(Files.newInputStream(file))) {
            json = reader.readObject();
        }
        var keys = jakarta.json.Json.createArrayBuilder();
        json.getJsonArray("keys").stream()
                .filter(key -> key.asJsonObject().getInt("version") != 3)
                .forEach(keys::add);
        Files.writeString(
                file,
                jakarta.json.Json.createObjectBuilder(json)
                        .add("primary", 2)
                        .add("keys", keys)
                        .build()
                        .toString());
        try (LocalKeyring rotated = LocalKeyring.rotate(file, LocalKeyring.LOCK_WAIT)) {
            assertEquals(4, rotated.primary().version(), "version 3 was issued once, to other key material");
            assertThat(rotated.keys().keySet()).containsExactly(1, 2, 4);
        }
        // A keyring written before the high-water mark was kept: the next version follows the highest present.
        Files.writeString(
                file,
                jakarta.json.Json.createObjectBuilder(json)
                        .remove("issued")
                        .build()
                        .toString());
        try (LocalKeyring rotated = LocalKeyring.rotate(file, LocalKeyring.LOCK_WAIT)) {
            assertEquals(4, rotated.primary().version());
        }
    }

    @Test
    void aRunningApplicationSeesVersionsAddedByTheCli() {
        Path file = dir.resolve("keyring.json");
        LocalKeyring.generate("dev").writeTo(file, false);
        LocalKeyringKms kms = LocalKeyringKms.open(file);
        EnvelopeDecryptor decryptor = new EnvelopeDecryptor(
                KmsRegistry.builder().add(kms, keyId -> true).build(),
                new DataKeyCache(10),
                EncryptionContext.forApplication("default"));

        LocalKeyring rotated = LocalKeyring.load(file).rotate();
        rotated.writeTo(file, true);
        bumpModifiedTime(file);
        String v2 = Fixtures.encrypt(rotated, Fixtures.SECRET, "p");
        assertEquals(Fixtures.SECRET, decryptor.decryptToString("p", EncryptedValue.parse(v2, SecretRef.NONE)));
        assertThat(LeakGuard.capturedOutput()).contains("reloaded keyring");
    }

    @Test
    void theCommittedTestKeyringOpens() {
        LocalKeyring keyring = LocalKeyring.load(Fixtures.testKeyring());
        assertEquals("test", keyring.name());
        assertThat(keyring.keys().keySet()).containsExactly(1, 2);
    }

    @Test
    void brokenKeyringFilesGiveClearErrorsWithoutKeyMaterial() throws IOException {
        Path missing = dir.resolve("missing.json");
        assertThat(assertThrows(ConfigurationException.class, () -> LocalKeyring.load(missing))
                        .getMessage())
                .contains("does not exist", "mpsecrets keygen --keyring " + missing);

        Path notJson = write("garbage.json", "not json {");
        assertThat(assertThrows(ConfigurationException.class, () -> LocalKeyring.load(notJson))
                        .getMessage())
                .contains("not a JSON object");

        byte[] material = new byte[32];
        java.util.Arrays.fill(material, (byte) 0x5a);
        LeakGuard.watch(material);
        String b64 = Base64.getEncoder().encodeToString(material);
        Path wrongFormat = write(
                "wrong.json",
                "{\"format\":\"other\",\"name\":\"dev\",\"primary\":1,\"keys\":"
                        + "[{\"version\":1,\"created\":\"2026-01-01T00:00:00Z\",\"material\":\""
                        + b64 + "\"}]}");
        ConfigurationException e1 = assertThrows(ConfigurationException.class, () -> LocalKeyring.load(wrongFormat));
        assertThat(e1.getMessage()).contains("is not a mpsecrets-keyring/1 keyring");

        Path shortKey = write(
                "short.json",
                "{\"format\":\"mpsecrets-keyring/1\",\"name\":\"dev\",\"primary\":1,\"keys\":"
                        + "[{\"version\":1,\"created\":\"2026-01-01T00:00:00Z\",\"material\":\""
                        + Base64.getEncoder().encodeToString(new byte[16]) + "\"}]}");
        assertThat(assertThrows(ConfigurationException.class, () -> LocalKeyring.load(shortKey))
                        .getMessage())
                .contains("32-byte");

        Path noPrimary = write(
                "noprimary.json",
                "{\"format\":\"mpsecrets-keyring/1\",\"name\":\"dev\",\"primary\":7,\"keys\":"
                        + "[{\"version\":1,\"created\":\"2026-01-01T00:00:00Z\",\"material\":\""
                        + b64 + "\"}]}");
        ConfigurationException e2 = assertThrows(ConfigurationException.class, () -> LocalKeyring.load(noPrimary));
        assertThat(e2.getMessage()).contains("primary");

        Path wrongType =
                write("type.json", "{\"format\":\"mpsecrets-keyring/1\",\"name\":\"dev\",\"primary\":1,\"keys\":{}}");
        assertThat(assertThrows(ConfigurationException.class, () -> LocalKeyring.load(wrongType))
                        .getMessage())
                .contains("wrong type");
        LeakGuard.assertNoLeak(e1, e2);
    }

    @Test
    void aKeyringOthersCanReadIsWarnedAbout() throws IOException {
        Path file = dir.resolve("keyring.json");
        LocalKeyring.generate("dev").writeTo(file, false);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        LocalKeyringKms.open(file).close();
        assertThat(LeakGuard.capturedOutput()).contains("accessible to others", "chmod 600");
    }

    @Test
    void nothingPrintsKeyMaterial() {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        LeakGuard.watch(Base64.getDecoder().decode(keyring.primary().materialBase64()));
        LeakGuard.assertNoLeak(
                keyring,
                keyring.primary(),
                LocalKeyringKms.of(keyring),
                LocalKeyringKms.of(keyring).generateDataKey("local", EncryptionContext.empty()));
    }

    @Test
    void closingZeroesTheKeys() {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        LocalKeyring.MasterKey key = keyring.primary();
        keyring.close();
        assertThat(Base64.getDecoder().decode(key.materialBase64())).containsOnly(0);
    }

    @Test
    void keyIdsAndNames() {
        assertThat(LocalKeyId.parse("local")).isEqualTo(new LocalKeyId(null, java.util.OptionalInt.empty()));
        assertThat(LocalKeyId.parse("local:orders-dev-3"))
                .isEqualTo(new LocalKeyId("orders-dev", java.util.OptionalInt.of(3)));
        assertThat(LocalKeyId.parse("local:orders")).isEqualTo(new LocalKeyId("orders", java.util.OptionalInt.empty()));
        assertThat(LocalKeyId.parse("alias/orders")).isNull();
        assertThat(LocalKeyId.parse("local:dev-03")).isNull();
        assertThat(LocalKeyId.validName("dev-2")).isFalse();
        assertThrows(ConfigurationException.class, () -> LocalKeyring.generate("bad name"));
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static void bumpModifiedTime(Path file) {
        try {
            Files.setLastModifiedTime(
                    file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
