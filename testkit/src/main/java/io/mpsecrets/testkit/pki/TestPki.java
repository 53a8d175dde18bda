package io.mpsecrets.testkit.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A test PKI: a root CA and an intermediate CA that issues leaf certificates with real X.509 (BouncyCastle's PKIX
 * library, because the JDK has no public API to sign a certificate or a CRL), revocation and a CRL. What the mock
 * Vault's PKI engine issues from, and what TLS tests make rotating certificates with. Thread-safe.
 */
public final class TestPki {

    /** The key algorithm of an issued certificate. */
    public enum KeyType {
        EC,
        RSA
    }

    /**
     * An issued certificate and its key.
     *
     * @param key the private key
     * @param certificate the leaf
     * @param issuer the intermediate CA that signed it
     * @param root the root CA
     */
    public record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer, X509Certificate root) {

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** The key as unencrypted PKCS#8 PEM ({@code PRIVATE KEY}). */
        public String keyPem() {
            return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
        }

        /**
         * The key in OpenSSL's traditional form, as OpenSSL and Vault write it: PKCS#1 ({@code RSA PRIVATE KEY}) or
         * SEC1 ({@code EC PRIVATE KEY}) with its named curve and public key.
         */
        public String traditionalKeyPem() {
            if (!key.getAlgorithm().equals("EC")) {
                return pem(key);
            }
            try {
                org.bouncycastle.asn1.pkcs.PrivateKeyInfo info =
                        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicKey =
                        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                                certificate.getPublicKey().getEncoded());
                java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) key;
                org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        ec.getParams().getOrder().bitLength(),
                        ec.getS(),
                        publicKey.getPublicKeyData(),
                        info.getPrivateKeyAlgorithm().getParameters());
                return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** SEC1 as the JDK's PKCS#8 holds it, without its curve: RFC 5915 allows it, the certificate names it. */
        public String sec1WithoutCurvePem() {
            return pem(key);
        }

        /** The key as encrypted PKCS#8 PEM ({@code ENCRYPTED PRIVATE KEY}: PBES2, AES-256-CBC, HMAC-SHA256). */
        public String encryptedKeyPem(char[] password) {
            try {
                OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPRF(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_hmacWithSHA256,
                                org.bouncycastle.asn1.DERNull.INSTANCE))
                        .setPassword(password)
                        .setIterationCount(2048)
                        .build();
                return pem(new JcaPKCS8Generator(key, encryptor).generate());
            } catch (OperatorCreationException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The leaf then the intermediate, PEM. */
        public String certificatePem() {
            return pem(certificate) + pem(issuer);
        }

        /** The leaf alone, PEM. */
        public String leafPem() {
            return pem(certificate);
        }

        /** The intermediate CA, PEM (Vault's {@code issuing_ca}). */
        public String issuerPem() {
            return pem(issuer);
        }

        /** The root CA, PEM: what peers trust. */
        public String rootPem() {
            return pem(root);
        }

        @Override
        public String toString() {
            return "Issued[serial=" + serial().toString(16) + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final KeyPair issuerKeys;
    private final X509Certificate issuer;
    private final Map<BigInteger, Instant> revoked = new ConcurrentHashMap<>();

    private TestPki(KeyPair rootKeys, X509Certificate root, KeyPair issuerKeys, X509Certificate issuer) {
        this.rootKeys = rootKeys;
        this.root = root;
        this.issuerKeys = issuerKeys;
        this.issuer = issuer;
    }

    /** A new root CA ("mp-secrets test root") and an intermediate CA under it, valid for a day. */
    public static TestPki create() {
        return create("mp-secrets test");
    }

    /** A new root CA and intermediate CA whose names start with {@code name}. */
    public static TestPki create(String name) {
        KeyPair rootKeys = keys(KeyType.EC);
        Instant now = Instant.now();
        X500Principal rootName = new X500Principal("CN=" + name + " root");
        X509Certificate root = sign(
                rootName, rootKeys, rootName, rootKeys.getPublic(), now, now.plus(Duration.ofDays(1)), true, List.of());
        KeyPair issuerKeys = keys(KeyType.EC);
        X509Certificate issuer = sign(
                rootName,
                rootKeys,
                new X500Principal("CN=" + name + " intermediate"),
                issuerKeys.getPublic(),
                now,
                now.plus(Duration.ofDays(1)),
                true,
                List.of());
        return new TestPki(rootKeys, root, issuerKeys, issuer);
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate issuer() {
        return issuer;
    }

    /** The root CA, PEM. */
    public String rootPem() {
        return pem(root);
    }

    /** The intermediate CA, PEM. */
    public String issuerPem() {
        return pem(issuer);
    }

    /**
     * A leaf certificate for {@code commonName} with the names as subject alternative names (an IP literal becomes
     * an IP name), for TLS servers and clients, valid from a minute ago for {@code ttl}.
     */
    public Issued issue(String commonName, List<String> altNames, Duration ttl, KeyType type) {
        Instant now = Instant.now();
        return issue(commonName, altNames, now.minusSeconds(60), now.plus(ttl), type);
    }

    /** A leaf valid from {@code notBefore} to {@code notAfter} (an expired one for tests of refusals). */
    public Issued issue(String commonName, List<String> altNames, Instant notBefore, Instant notAfter, KeyType type) {
        KeyPair leaf = keys(type);
        List<GeneralName> names = new ArrayList<>();
        for (String name : altNames) {
            names.add(
                    isIp(name)
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
        }
        X509Certificate certificate = sign(
                issuer.getSubjectX500Principal(),
                issuerKeys,
                new X500Principal("CN=" + commonName),
                leaf.getPublic(),
                notBefore,
                notAfter,
                false,
                names);
        return new Issued(leaf.getPrivate(), certificate, issuer, root);
    }

    /** Revokes a certificate this PKI issued: it is listed in {@link #crl()} from now on. */
    public void revoke(BigInteger serial) {
        revoked.putIfAbsent(serial, Instant.now());
    }

    public boolean isRevoked(BigInteger serial) {
        return revoked.containsKey(serial);
    }

    /** The intermediate's CRL of every certificate revoked so far, valid for an hour. */
    public X509CRL crl() {
        Instant now = Instant.now();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                org.bouncycastle.asn1.x500.X500Name.getInstance(
                        issuer.getSubjectX500Principal().getEncoded()),
                Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofHours(1))));
        revoked.forEach((serial, when) -> builder.addCRLEntry(serial, Date.from(when), CRLReason.unspecified));
        try {
            return new JcaX509CRLConverter().getCRL(builder.build(signer(issuerKeys.getPrivate())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM of a certificate, a CRL, a key (traditional form) or a {@link PemObject}. */
    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A new key pair: EC on P-256 or RSA 2048. */
    public static KeyPair keys(KeyType type) {
        try {
            if (type == KeyType.EC) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(
            X500Principal issuerName,
            KeyPair issuerKeys,
            X500Principal subject,
            java.security.PublicKey subjectKey,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            List<GeneralName> altNames) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuerName,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                }));
                if (!altNames.isEmpty()) {
                    builder.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(altNames.toArray(GeneralName[]::new)));
                }
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKeys.getPrivate())));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isIp(String name) {
        if (!name.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            InetAddress.getByName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
