package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client key's PEM forms: PKCS#8, PKCS#1 RSA ({@code openssl genrsa}'s) and SEC1 EC (Vault's PKI engine's), read
 * as the same key; an encrypted or unknown block is a configuration error that names the file, never its content.
 */
class VaultTlsTest {

    @TempDir
    Path dir;

    private Path pem(String type, byte[] der) throws Exception {
        return Files.writeString(
                dir.resolve(type.replace(' ', '-') + ".pem"),
                "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                        + "-----\n");
    }

    @Test
    void pkcs8AndPkcs1RsaKeysAreTheSameKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey key = generator.generateKeyPair().getPrivate();
        byte[] pkcs8 = key.getEncoded();
        assertArrayEquals(pkcs8, VaultTls.privateKey(pem("PRIVATE KEY", pkcs8)).getEncoded());
        // PKCS#8 wraps PKCS#1 as its last element, an OCTET STRING: the last (length) bytes
        byte[] pkcs1 = lastOctetString(pkcs8);
        assertArrayEquals(
                pkcs8, VaultTls.privateKey(pem("RSA PRIVATE KEY", pkcs1)).getEncoded());
    }

    @Test
    void aSec1EcKeyWithItsNamedCurveIsRead() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPrivateKey key = (ECPrivateKey) generator.generateKeyPair().getPrivate();
        byte[] d = unsigned(key.getS(), 32);
        byte[] p256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
        byte[] sec1 = tlv(0x30, concat(new byte[] {0x02, 0x01, 0x01}, tlv(0x04, d), tlv(0xa0, p256)));
        ECPrivateKey read = (ECPrivateKey) VaultTls.privateKey(pem("EC PRIVATE KEY", sec1));
        assertThat(read.getS()).isEqualTo(key.getS());
        assertThat(read.getParams().getCurve()).isEqualTo(key.getParams().getCurve());
    }

    @Test
    void anEncryptedKeyIsRefusedNamingTheFileNeverItsContent() throws Exception {
        Path file = pem("ENCRYPTED PRIVATE KEY", LeakGuard.CANARY.getBytes());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> VaultTls.privateKey(file));
        assertThat(e.getMessage()).contains(file.toString(), "openssl pkcs8 -topk8 -nocrypt", "client-key-store");
        LeakGuard.assertNoLeak(e);
        Path notPem = Files.writeString(dir.resolve("not.pem"), LeakGuard.CANARY);
        ConfigurationException notAKey = assertThrows(ConfigurationException.class, () -> VaultTls.privateKey(notPem));
        assertThat(notAKey.getMessage()).contains("is not a PEM private key");
        LeakGuard.assertNoLeak(notAKey);
    }

    private static byte[] lastOctetString(byte[] der) {
        // PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING }; walk to the third element.
        int at = 1;
        at += lengthBytes(der, at);
        at += 3; // INTEGER 0
        at += 1;
        int algorithm = length(der, at);
        at += lengthBytes(der, at) + algorithm;
        at += 1; // OCTET STRING
        int n = length(der, at);
        at += lengthBytes(der, at);
        return Arrays.copyOfRange(der, at, at + n);
    }

    private static int length(byte[] der, int at) {
        int first = der[at] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int n = 0;
        for (int i = 1; i <= (first & 0x7f); i++) {
            n = (n << 8) | (der[at + i] & 0xff);
        }
        return n;
    }

    private static int lengthBytes(byte[] der, int at) {
        int first = der[at] & 0xff;
        return first < 0x80 ? 1 : 1 + (first & 0x7f);
    }

    private static byte[] unsigned(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(bytes.length, size);
        System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
        return out;
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (value.length >= 0x80) {
            out.write(0x81);
        }
        out.write(value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
