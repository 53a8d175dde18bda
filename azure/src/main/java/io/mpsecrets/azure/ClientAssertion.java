package io.mpsecrets.azure;

import io.mpsecrets.api.exception.ConfigurationException;
import jakarta.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app registration's certificate and its RSA private key, from a PEM file (the certificate and a PKCS#8 or PKCS#1
 * key, as {@code AZURE_CLIENT_CERTIFICATE_PATH} names one) or a PKCS#12 file with its password; it signs the client
 * assertion Entra ID takes instead of a secret: a JWT (RS256) whose header names the certificate by its SHA-1
 * thumbprint ({@code x5t}) and whose claims say who is asking ({@code iss}, {@code sub}: the client id), for which
 * token endpoint ({@code aud}) and for ten minutes.
 */
final class ClientAssertion {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final PrivateKey key;
    private final String thumbprint;

    private ClientAssertion(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        try {
            this.thumbprint =
                    EntraToken.base64Url(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    static ClientAssertion load(Path file, Optional<String> password) {
        String setting = AzureSettings.PREFIX + "client-certificate-path";
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigurationException(
                    setting + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            String text = new String(content, StandardCharsets.US_ASCII);
            return text.contains("-----BEGIN") ? pem(text, setting, file) : pkcs12(content, password, setting, file);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static ClientAssertion pem(String text, String setting, Path file) {
        PrivateKey key = null;
        X509Certificate certificate = null;
        Matcher m = PEM.matcher(text);
        try {
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                try {
                    switch (m.group(1)) {
                        case "CERTIFICATE" -> {
                            if (certificate == null) {
                                certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                                        .generateCertificate(new ByteArrayInputStream(der));
                            }
                        }
                        case "PRIVATE KEY" -> key = rsa(der);
                        case "RSA PRIVATE KEY" -> key = rsa(pkcs1ToPkcs8(der));
                        case "ENCRYPTED PRIVATE KEY" ->
                            throw new ConfigurationException(setting + ": " + file + " holds an encrypted PEM key;"
                                    + " give a PKCS#12 file with its password instead");
                        default -> {
                            // other blocks (a chain's further certificates come as CERTIFICATE) are not needed
                        }
                    }
                } finally {
                    Arrays.fill(der, (byte) 0);
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigurationException(setting + ": " + file + " is not a readable PEM certificate and RSA key ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (key == null || certificate == null) {
            throw new ConfigurationException(setting + ": " + file + " must hold the certificate and its private key");
        }
        return new ClientAssertion(key, certificate);
    }

    private static ClientAssertion pkcs12(byte[] content, Optional<String> password, String setting, Path file) {
        char[] chars = password.map(String::toCharArray).orElse(new char[0]);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), chars);
            Enumeration<String> aliases = store.aliases();
            while (aliases.hasMoreElements()) {
                String alias = aliases.nextElement();
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, chars);
                    if (key instanceof PrivateKey privateKey
                            && "RSA".equals(key.getAlgorithm())
                            && store.getCertificate(alias) instanceof X509Certificate certificate) {
                        return new ClientAssertion(privateKey, certificate);
                    }
                }
            }
            throw new ConfigurationException(setting + ": " + file + " holds no RSA key with its certificate");
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(setting + ": " + file + " is neither PEM nor a PKCS#12 file this password"
                    + " opens (" + AzureSettings.PREFIX + "client-certificate-password, "
                    + "AZURE_CLIENT_CERTIFICATE_PASSWORD)");
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static PrivateKey rsa(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /** A PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as octets). */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {
            0x02,
            0x01,
            0x00,
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[algorithm.length + octets.length];
        System.arraycopy(algorithm, 0, body, 0, algorithm.length);
        System.arraycopy(octets, 0, body, algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80
                ? new byte[] {(byte) n}
                : n < 0x100
                        ? new byte[] {(byte) 0x81, (byte) n}
                        : n < 0x10000
                                ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }

    /** The signed assertion for {@code clientId} at {@code audience} (the token endpoint), valid ten minutes. */
    String sign(String clientId, URI audience) {
        long now = Instant.now().getEpochSecond();
        String header = Json.createObjectBuilder()
                .add("alg", "RS256")
                .add("typ", "JWT")
                .add("x5t", thumbprint)
                .build()
                .toString();
        String claims = Json.createObjectBuilder()
                .add("aud", audience.toString())
                .add("iss", clientId)
                .add("sub", clientId)
                .add("jti", EntraToken.jti())
                .add("nbf", now)
                .add("iat", now)
                .add("exp", now + 600)
                .build()
                .toString();
        String signingInput = EntraToken.base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + EntraToken.base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + EntraToken.base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(
                    AzureSettings.PREFIX + "client-certificate-path: cannot sign with the key ("
                            + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "ClientAssertion[x5t=" + thumbprint + "]";
    }
}
