package io.mpsecrets.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Parses key material with the JDK alone: PEM private keys (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE
 * KEY}, SEC1 {@code EC PRIVATE KEY}, encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY} with PBES2 as OpenSSL writes it),
 * PEM certificates, and PKCS#12 key stores. Bounded: at most {@link #MAX_BLOCKS} PEM blocks and
 * {@link #MAX_CHAIN} certificates. Errors say what is wrong with the material, never what it holds; the byte arrays
 * this class makes from a key are zeroed before it returns.
 */
final class KeyMaterialReader {

    static final int MAX_BLOCKS = 64;
    static final int MAX_CHAIN = 16;

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";

    private KeyMaterialReader() {}

    /** A private key and the certificate chain that goes with it (the chain empty when a PEM key came alone). */
    record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
        @Override
        public String toString() {
            return "KeyAndChain[" + (key == null ? "no key" : key.getAlgorithm() + " key") + ", " + chain.size()
                    + " certificates]";
        }
    }

    /** One PEM block: its label and its decoded contents. */
    private record Block(String label, byte[] der) {}

    static boolean isPem(byte[] bytes) {
        return indexOf(bytes, BEGIN.getBytes(StandardCharsets.US_ASCII)) >= 0;
    }

    /**
     * The private key of {@code bytes}: PEM (the first key block; certificates in the same text are returned as the
     * chain) or PKCS#12 (the one key entry and its chain).
     *
     * @param password for an encrypted PEM key or a PKCS#12 store; may be null for neither
     * @param certificate the certificate of the key when it came apart from it, or null: a SEC1 key that leaves
     *        its curve out has the certificate's
     */
    static KeyAndChain key(byte[] bytes, char[] password, X509Certificate certificate) {
        if (!isPem(bytes)) {
            return pkcs12(bytes, password);
        }
        List<Block> blocks = blocks(bytes);
        try {
            PrivateKey key = null;
            List<X509Certificate> chain = new ArrayList<>();
            for (Block block : blocks) {
                if (block.label().equals("CERTIFICATE")) {
                    chain.add(certificate(block.der()));
                }
            }
            X509Certificate leaf = chain.isEmpty() ? certificate : chain.get(0);
            byte[] curve = leaf == null ? null : Der.curveOf(leaf.getPublicKey().getEncoded());
            for (Block block : blocks) {
                switch (block.label()) {
                    case "PRIVATE KEY" -> key = first(key, pkcs8(block.der()));
                    case "RSA PRIVATE KEY" -> key = first(key, wrapped(block.der(), null));
                    case "EC PRIVATE KEY" ->
                        key = first(key, wrapped(block.der(), curve == null ? new byte[0] : curve));
                    case "ENCRYPTED PRIVATE KEY" -> key = first(key, encrypted(block.der(), password));
                    case "CERTIFICATE", "EC PARAMETERS" -> {
                        // certificates read above; openssl ecparam -genkey writes the curve first, the key names it
                    }
                    default ->
                        throw new IllegalArgumentException(
                                "a PEM block of a kind not supported here (" + block.label() + ")");
                }
            }
            if (key == null) {
                throw new IllegalArgumentException("no private key in the PEM text");
            }
            return new KeyAndChain(key, List.copyOf(chain));
        } finally {
            blocks.forEach(block -> Arrays.fill(block.der(), (byte) 0));
        }
    }

    /** The certificates of a PEM text or of a PKCS#12 store's entries (trusted certificates and chains). */
    static List<X509Certificate> certificates(byte[] bytes, char[] password) {
        if (!isPem(bytes)) {
            try {
                KeyStore store = load(bytes, password);
                List<X509Certificate> out = new ArrayList<>();
                for (String alias : Collections.list(store.aliases())) {
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (chain != null) {
                        for (Certificate c : chain) {
                            out.add((X509Certificate) c);
                        }
                    } else if (store.getCertificate(alias) instanceof X509Certificate c) {
                        out.add(c);
                    }
                    if (out.size() > MAX_CHAIN * 4) {
                        throw new IllegalArgumentException("more certificates than a TLS material may hold");
                    }
                }
                return List.copyOf(out);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(
                        "not a readable PKCS#12 store (" + e.getClass().getSimpleName() + ")");
            }
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Block block : blocks(bytes)) {
            if (!block.label().equals("CERTIFICATE")) {
                throw new IllegalArgumentException("a " + block.label() + " block where certificates were expected");
            }
            out.add(certificate(block.der()));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no certificate in the PEM text");
        }
        return List.copyOf(out);
    }

    private static KeyAndChain pkcs12(byte[] bytes, char[] password) {
        try {
            KeyStore store = load(bytes, password);
            KeyAndChain found = null;
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                if (found != null) {
                    throw new IllegalArgumentException("a PKCS#12 store with more than one key");
                }
                Key key = store.getKey(alias, password == null ? new char[0] : password);
                if (!(key instanceof PrivateKey privateKey)) {
                    throw new IllegalArgumentException("a PKCS#12 key entry that is not a private key");
                }
                Certificate[] chain = store.getCertificateChain(alias);
                List<X509Certificate> certificates = new ArrayList<>();
                if (chain != null) {
                    for (Certificate c : chain) {
                        certificates.add((X509Certificate) c);
                    }
                }
                found = new KeyAndChain(privateKey, List.copyOf(certificates));
            }
            if (found == null) {
                throw new IllegalArgumentException("no private key in the PKCS#12 store");
            }
            return found;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a readable PKCS#12 store or a wrong password ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static KeyStore load(byte[] bytes, char[] password) throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password == null ? new char[0] : password);
            return store;
        } catch (java.io.IOException e) {
            // KeyStore reports a wrong password as an IOException whose cause is the real failure
            throw new GeneralSecurityException(
                    e.getCause() instanceof GeneralSecurityException
                            ? e.getCause().getClass().getSimpleName()
                            : "unreadable");
        }
    }

    private static PrivateKey first(PrivateKey existing, PrivateKey next) {
        if (existing != null) {
            throw new IllegalArgumentException("more than one private key in the PEM text");
        }
        return next;
    }

    /** PKCS#1 or SEC1: wrapped into PKCS#8 ({@link Der} says why), parsed by the JDK, the wrapping zeroed. */
    private static PrivateKey wrapped(byte[] der, byte[] ecCurve) {
        boolean rsa = ecCurve == null;
        byte[] pkcs8 = rsa ? Der.pkcs8FromPkcs1(der) : Der.pkcs8FromSec1(der, ecCurve.length == 0 ? null : ecCurve);
        try {
            return rsa ? parse(pkcs8, "RSA") : parse(pkcs8, "EC");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** PKCS#8: the algorithm is the one of the key's AlgorithmIdentifier, tried among those TLS uses. */
    private static PrivateKey pkcs8(byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return parse(der, algorithm);
            } catch (IllegalArgumentException e) {
                // another algorithm's key
            }
        }
        throw new IllegalArgumentException("a PKCS#8 private key of an algorithm not supported here");
    }

    private static PrivateKey parse(byte[] pkcs8, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + algorithm + " PKCS#8 key");
        }
    }

    /**
     * Encrypted PKCS#8 (RFC 5958): the JDK decrypts PBES2 with the cipher its parameters name (OpenSSL's default:
     * PBKDF2 with HMAC-SHA256 and AES-256-CBC) and the legacy PBES1 algorithms it has.
     */
    private static PrivateKey encrypted(byte[] der, char[] password) {
        if (password == null) {
            throw new IllegalArgumentException("an encrypted private key and no key-password");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters parameters = info.getAlgParameters();
            // For PBES2 the algorithm name is in the parameters (e.g. PBEWithHmacSHA256AndAES_256)
            String algorithm = parameters == null ? info.getAlgName() : parameters.toString();
            if (algorithm == null || algorithm.isBlank() || algorithm.contains(" ")) {
                algorithm = info.getAlgName();
            }
            PBEKeySpec spec = new PBEKeySpec(password);
            try {
                Cipher cipher = Cipher.getInstance(algorithm);
                cipher.init(
                        Cipher.DECRYPT_MODE,
                        SecretKeyFactory.getInstance(algorithm).generateSecret(spec),
                        parameters);
                PKCS8EncodedKeySpec keySpec = info.getKeySpec(cipher);
                byte[] pkcs8 = keySpec.getEncoded();
                try {
                    return pkcs8(pkcs8);
                } finally {
                    Arrays.fill(pkcs8, (byte) 0);
                }
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("an encrypted private key that cannot be decrypted: wrong key-password"
                    + " or an encryption the JDK does not have (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("a CERTIFICATE block that is not an X.509 certificate");
        }
    }

    /** The PEM blocks of {@code bytes}, decoded; text outside the blocks (comments, OpenSSL's headers) is skipped. */
    private static List<Block> blocks(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        int position = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, position);
            if (begin < 0) {
                break;
            }
            int labelEnd = text.indexOf("-----", begin + BEGIN.length());
            if (labelEnd < 0) {
                throw new IllegalArgumentException("a PEM header without its end");
            }
            if (labelEnd - begin > 64) {
                throw new IllegalArgumentException("a PEM header too long to be one");
            }
            String label = text.substring(begin + BEGIN.length(), labelEnd);
            String footer = END + label + "-----";
            int end = text.indexOf(footer, labelEnd);
            if (end < 0) {
                throw new IllegalArgumentException("a PEM block (" + label + ") without its footer");
            }
            String body = text.substring(labelEnd + 5, end);
            if (body.contains("Proc-Type:")) {
                throw new IllegalArgumentException("a PEM key encrypted the legacy OpenSSL way (Proc-Type): convert it"
                        + " to encrypted PKCS#8 (openssl pkcs8 -topk8)");
            }
            try {
                out.add(new Block(label, Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a PEM block (" + label + ") that is not base64");
            }
            if (out.size() > MAX_BLOCKS) {
                throw new IllegalArgumentException("more than " + MAX_BLOCKS + " PEM blocks");
            }
            position = end + footer.length();
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
