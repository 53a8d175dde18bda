package io.mpsecrets.vault;

import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.exception.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS of the connection to Vault: the CA bundle trusted instead of the JVM's ({@code ca-bundle}), and the client
 * certificate presented ({@code client-cert} and {@code client-key} in PEM, or {@code client-key-store} in PKCS#12),
 * which the {@code cert} login authenticates with and a listener with {@code tls_require_and_verify_client_cert}
 * requires. PEM keys may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC
 * ({@code EC PRIVATE KEY}, as Vault's PKI engine issues them), unencrypted. Files are read bounded; errors name the
 * setting and the file, never their content, and key bytes are zeroed once the key is made.
 */
final class VaultTls {

    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };

    private VaultTls() {}

    /** The context for {@code settings}, or empty where the JVM's defaults do (no CA bundle, no client identity). */
    static Optional<SSLContext> context(VaultSettings settings) {
        if (settings.caBundle().isEmpty() && settings.clientIdentity().isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManager[] trust = settings.caBundle().map(VaultTls::trusting).orElse(null);
            KeyManager[] keys = settings.clientIdentity().map(VaultTls::keys).orElse(null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(
                    VaultSettings.PREFIX + "TLS: cannot set up (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static TrustManager[] trusting(Path bundle) {
        try (InputStream in = Files.newInputStream(bundle)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new ConfigurationException(
                        VaultSettings.PREFIX + "ca-bundle " + bundle + " holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            return trust.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + "ca-bundle: cannot load " + bundle + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static KeyManager[] keys(VaultSettings.ClientIdentity identity) {
        char[] password = new char[0];
        try {
            KeyStore store;
            if (identity instanceof VaultSettings.KeyStoreIdentity pkcs12) {
                if (pkcs12.passwordFile().isPresent()) {
                    byte[] bytes = read(pkcs12.passwordFile().get(), "client-key-store-password-file");
                    password = new String(bytes, StandardCharsets.UTF_8).strip().toCharArray();
                    Arrays.fill(bytes, (byte) 0);
                }
                store = KeyStore.getInstance("PKCS12");
                byte[] bytes = read(pkcs12.keyStore(), "client-key-store");
                try {
                    store.load(new ByteArrayInputStream(bytes), password);
                } catch (IOException | GeneralSecurityException e) {
                    throw new ConfigurationException(VaultSettings.PREFIX + "client-key-store: cannot open "
                            + pkcs12.keyStore() + " (a PKCS#12 file, with the password in "
                            + VaultSettings.PREFIX + "client-key-store-password-file if it has one)");
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
            } else {
                VaultSettings.PemIdentity pem = (VaultSettings.PemIdentity) identity;
                Certificate[] chain = certificates(pem.certificate());
                PrivateKey key = privateKey(pem.key());
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", key, password, chain);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            return keys.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + "client certificate: cannot use it ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static Certificate[] certificates(Path file) {
        byte[] bytes = read(file, "client-cert");
        try {
            Collection<? extends Certificate> chain =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            if (chain.isEmpty()) {
                throw new ConfigurationException(
                        VaultSettings.PREFIX + "client-cert " + file + " holds no PEM certificate");
            }
            return chain.toArray(new Certificate[0]);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(
                    VaultSettings.PREFIX + "client-cert " + file + " is not a PEM certificate");
        }
    }

    /** The private key in a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC, as PKCS#8 for the JDK. */
    static PrivateKey privateKey(Path file) {
        byte[] bytes = read(file, "client-key");
        byte[] der = null;
        byte[] pkcs8 = null;
        try {
            String text = new String(bytes, StandardCharsets.US_ASCII);
            String type = pemType(text);
            if (type == null) {
                throw new ConfigurationException(
                        VaultSettings.PREFIX + "client-key " + file + " is not a PEM private key");
            }
            der = pemBody(text, type);
            switch (type) {
                case "PRIVATE KEY":
                    pkcs8 = der.clone();
                    break;
                case "RSA PRIVATE KEY":
                    pkcs8 = sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, der));
                    break;
                case "EC PRIVATE KEY":
                    pkcs8 = sequence(
                            new byte[] {0x02, 0x01, 0x00},
                            tlv(0x30, concat(EC_PUBLIC_KEY_OID, curveOf(der, file))),
                            tlv(0x04, der));
                    break;
                default:
                    throw new ConfigurationException(VaultSettings.PREFIX + "client-key " + file + " is a PEM "
                            + type + ", not an unencrypted key; convert it with openssl pkcs8 -topk8 -nocrypt, or use"
                            + " a PKCS#12 key store (" + VaultSettings.PREFIX + "client-key-store)");
            }
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException notThisOne) {
                    // the next algorithm
                }
            }
            throw new ConfigurationException(
                    VaultSettings.PREFIX + "client-key " + file + " is not an RSA, EC or Ed25519 key");
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
            if (pkcs8 != null) {
                Arrays.fill(pkcs8, (byte) 0);
            }
        }
    }

    private static String pemType(String text) {
        int begin = text.indexOf("-----BEGIN ");
        if (begin < 0) {
            return null;
        }
        int end = text.indexOf("-----", begin + "-----BEGIN ".length());
        return end < 0 ? null : text.substring(begin + "-----BEGIN ".length(), end);
    }

    private static byte[] pemBody(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin) + begin.length();
        int to = text.indexOf(end, from);
        if (to < 0) {
            throw new ConfigurationException(VaultSettings.PREFIX + "client-key: the PEM block has no end line");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from, to));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + "client-key: the PEM block is not base64");
        }
    }

    /** The named curve's OID (its whole TLV) in a SEC1 {@code ECPrivateKey}'s {@code [0] parameters}. */
    private static byte[] curveOf(byte[] sec1, Path file) {
        try {
            int[] at = {0};
            expect(sec1, at, 0x30);
            length(sec1, at);
            skip(sec1, at, 0x02); // version
            skip(sec1, at, 0x04); // the private key
            expect(sec1, at, 0xa0);
            length(sec1, at);
            int start = at[0];
            expect(sec1, at, 0x06);
            int n = length(sec1, at);
            return Arrays.copyOfRange(sec1, start, at[0] + n);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + "client-key " + file
                    + ": an EC PRIVATE KEY without a named curve; convert it with openssl pkcs8 -topk8 -nocrypt");
        }
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if ((der[at[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("unexpected tag");
        }
    }

    private static void skip(byte[] der, int[] at, int tag) {
        expect(der, at, tag);
        int n = length(der, at); // first: "at[0] += length(...)" would add to the index from before the length
        at[0] += n;
    }

    private static int length(byte[] der, int[] at) {
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int bytes = first & 0x7f;
        if (bytes > 3) {
            throw new IllegalArgumentException("too long");
        }
        int n = 0;
        for (int i = 0; i < bytes; i++) {
            n = (n << 8) | (der[at[0]++] & 0xff);
        }
        return n;
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] read(Path file, String setting) {
        try (InputStream in = Files.newInputStream(file)) {
            return BoundedReads.readAll(in, VaultSettings.MAX_FILE_SIZE, VaultSettings.PREFIX + setting);
        } catch (BoundedReads.TooLarge e) {
            throw new ConfigurationException(VaultSettings.PREFIX + setting + ": " + file + " is " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + setting + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
