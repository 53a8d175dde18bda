package io.mpsecrets.testkit.vault;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Signs JWTs as an identity provider would (a Kubernetes API server's projected service-account tokens, a CI's OIDC
 * tokens), with a key pair the JDK makes: RS256 ({@link #rsa()}) or ES256 ({@link #ec()}). Give its
 * {@link #publicKey()} to the mock Vault's {@code jwt} method ({@link MockVault#jwtAuth}), and its tokens to the
 * application, in a file.
 */
public final class JwtIssuer {

    private final KeyPair keys;
    private final String alg;
    private final String issuer;

    private JwtIssuer(KeyPair keys, String alg, String issuer) {
        this.keys = keys;
        this.alg = alg;
        this.issuer = issuer;
    }

    /** RS256 with a new 2048-bit RSA key, issuer {@code https://issuer.test}. */
    public static JwtIssuer rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new JwtIssuer(generator.generateKeyPair(), "RS256", "https://issuer.test");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ES256 with a new P-256 key, issuer {@code https://issuer.test}. */
    public static JwtIssuer ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new JwtIssuer(generator.generateKeyPair(), "ES256", "https://issuer.test");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The {@code iss} of its tokens. */
    public String issuer() {
        return issuer;
    }

    /**
     * A token for {@code subject} and {@code audience} (null: none), valid from now for {@code lifetime}, with more
     * string claims.
     */
    public String issue(String subject, String audience, Duration lifetime, Map<String, String> claims) {
        long now = Instant.now().getEpochSecond();
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("iss", issuer)
                .add("sub", subject)
                .add("iat", now)
                .add("nbf", now)
                .add("exp", now + lifetime.toSeconds());
        if (audience != null) {
            body.add("aud", audience);
        }
        claims.forEach(body::add);
        return sign(body.build());
    }

    /** A token with exactly these claims. */
    public String sign(JsonObject claims) {
        String header = encode(Json.createObjectBuilder()
                .add("alg", alg)
                .add("typ", "JWT")
                .build()
                .toString());
        String signed = header + "." + encode(claims.toString());
        try {
            Signature signer =
                    Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            signer.initSign(keys.getPrivate());
            signer.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "JwtIssuer[" + alg + ", " + issuer + "]";
    }
}
