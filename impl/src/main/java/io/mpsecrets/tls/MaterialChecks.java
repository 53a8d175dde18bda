package io.mpsecrets.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a TLS material must pass before it is used: the key belongs to the leaf certificate (it signs a random
 * challenge that the certificate's public key verifies), the leaf is within its validity, and the chain builds to
 * the trust material when there is one (PKIX, revocation not checked here). Each failure is an
 * {@link IllegalArgumentException} whose message names the certificate by serial and dates, never a key.
 */
final class MaterialChecks {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MaterialChecks() {}

    static void check(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trust, Instant now) {
        if (key != null && chain.isEmpty()) {
            throw new IllegalArgumentException("a private key without its certificate");
        }
        if (key == null && !chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate without its private key");
        }
        if (chain.size() > KeyMaterialReader.MAX_CHAIN) {
            throw new IllegalArgumentException("a chain longer than " + KeyMaterialReader.MAX_CHAIN + " certificates");
        }
        if (key != null) {
            X509Certificate leaf = chain.get(0);
            try {
                leaf.checkValidity(Date.from(now));
            } catch (CertificateExpiredException e) {
                throw new IllegalArgumentException("the certificate " + describe(leaf) + " has expired");
            } catch (CertificateNotYetValidException e) {
                throw new IllegalArgumentException("the certificate " + describe(leaf) + " is not valid yet");
            }
            if (!matches(key, leaf.getPublicKey())) {
                throw new IllegalArgumentException(
                        "the private key does not belong to the certificate " + describe(leaf));
            }
            if (!trust.isEmpty()) {
                buildsToTrust(chain, trust, now);
            }
        }
    }

    static String describe(X509Certificate certificate) {
        return "serial " + certificate.getSerialNumber().toString(16) + " (not after "
                + certificate.getNotAfter().toInstant() + ")";
    }

    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default ->
                throw new IllegalArgumentException(
                        "a certificate key of an algorithm not supported " + "here (" + publicKey.getAlgorithm() + ")");
        };
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed")
                        && publicKey.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void buildsToTrust(List<X509Certificate> chain, List<X509Certificate> trust, Instant now) {
        Set<TrustAnchor> anchors = new HashSet<>();
        trust.forEach(c -> anchors.add(new TrustAnchor(c, null)));
        // The path leaves out a certificate that is itself trusted (a chain that ends with its root)
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (trust.contains(certificate)) {
                break;
            }
            path.add(certificate);
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the chain of the certificate " + describe(chain.get(0))
                    + " does not build to the trust material (" + e.getClass().getSimpleName() + ")");
        }
    }
}
