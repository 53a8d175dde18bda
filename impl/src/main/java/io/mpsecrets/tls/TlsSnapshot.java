package io.mpsecrets.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One checked generation of a TLS material, immutable: the key and its chain, the trust anchors, and the JDK's key
 * and trust managers built from them. The key manager's one alias names the generation, so that a handshake that
 * chose this generation's alias gets this generation's key and chain even if a newer one was swapped in meanwhile.
 *
 * @param name the material's name ({@code mpsecrets.tls.<name>.*})
 * @param generation counts the swaps of this material, from 1
 * @param chain the certificate chain, leaf first; empty for a material with trust alone
 * @param trust the trusted certificates; empty for the JDK's default trust
 * @param keyManager the JDK's key manager of the key and chain, or null without a key
 * @param trustManager the JDK's trust manager of {@code trust}, or of the JDK's default trust
 */
record TlsSnapshot(
        String name,
        long generation,
        List<X509Certificate> chain,
        List<X509Certificate> trust,
        X509ExtendedKeyManager keyManager,
        X509ExtendedTrustManager trustManager) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Builds the managers of checked material; the caller's key object is handed to the JDK's key manager alone. */
    static TlsSnapshot of(
            String name, long generation, PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trust) {
        try {
            X509ExtendedKeyManager keyManager = null;
            if (key != null) {
                // An in-memory store with a throwaway password: the JDK's key managers are built from a KeyStore.
                char[] password = HexFormat.of().formatHex(randomBytes()).toCharArray();
                try {
                    KeyStore store = KeyStore.getInstance("PKCS12");
                    store.load(null, null);
                    store.setKeyEntry(alias(name, generation), key, password, chain.toArray(X509Certificate[]::new));
                    // SunX509: aliases are the store's own, so alias() finds the generation again
                    KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
                    factory.init(store, password);
                    for (KeyManager manager : factory.getKeyManagers()) {
                        if (manager instanceof X509ExtendedKeyManager extended) {
                            keyManager = extended;
                        }
                    }
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
            TrustManagerFactory trustFactory = TrustManagerFactory.getInstance("PKIX");
            if (trust.isEmpty()) {
                trustFactory.init((KeyStore) null);
            } else {
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                for (int i = 0; i < trust.size(); i++) {
                    anchors.setCertificateEntry("trust-" + i, trust.get(i));
                }
                trustFactory.init(anchors);
            }
            X509ExtendedTrustManager trustManager = null;
            for (TrustManager manager : trustFactory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    trustManager = extended;
                }
            }
            if (trustManager == null || (key != null && keyManager == null)) {
                throw new IllegalStateException("the JDK gave no X.509 key or trust manager");
            }
            return new TlsSnapshot(name, generation, List.copyOf(chain), List.copyOf(trust), keyManager, trustManager);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the JDK could not build key and trust managers ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    static String alias(String name, long generation) {
        return "mpsecrets-" + name + "-" + generation;
    }

    String alias() {
        return alias(name, generation);
    }

    Optional<X509Certificate> leaf() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
    }

    Optional<BigInteger> serial() {
        return leaf().map(X509Certificate::getSerialNumber);
    }

    Optional<Instant> notAfter() {
        return leaf().map(c -> c.getNotAfter().toInstant());
    }

    /**
     * The version events name: the leaf's serial (hex) and not-after, e.g. {@code serial=1f2e;not-after=2026-...Z};
     * for trust alone, the first anchor's.
     */
    String version() {
        X509Certificate named = leaf().orElse(trust.isEmpty() ? null : trust.get(0));
        if (named == null) {
            return "default-trust";
        }
        return "serial=" + named.getSerialNumber().toString(16) + ";not-after="
                + named.getNotAfter().toInstant();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "TlsSnapshot[" + name + " #" + generation + ", " + version() + "]";
    }
}
