package io.mpsecrets.examples;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs and checks API tokens, {@code base64url(subject|expiry).base64url(HMAC-SHA256)}, with the key in
 * {@code tokens.signing-key}: an {@code ENC(...)} value or a secret-store reference that mp-secrets resolves. The
 * key is injected as a {@code Supplier}, so a rotated key is used from the next token on without a restart.
 */
@ApplicationScoped
public class TokenSigner {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    @Inject
    @ConfigProperty(name = "tokens.signing-key")
    Supplier<String> signingKey;

    @Inject
    @ConfigProperty(name = "tokens.ttl", defaultValue = "PT15M")
    Duration ttl;

    Clock clock = Clock.systemUTC();

    /** A signed token for {@code subject}, valid for {@code tokens.ttl}. */
    public String sign(String subject) {
        String payload = subject + "|" + clock.instant().plus(ttl).getEpochSecond();
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payloadBytes) + "." + ENCODER.encodeToString(mac(signingKey.get(), payloadBytes));
    }

    /** The subject of a valid, unexpired token signed with the current key. */
    public Optional<String> verify(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(signature, mac(signingKey.get(), payload))) {
            return Optional.empty();
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        int bar = text.lastIndexOf('|');
        if (bar < 0) {
            return Optional.empty();
        }
        try {
            long expiry = Long.parseLong(text.substring(bar + 1));
            return clock.instant().isBefore(Instant.ofEpochSecond(expiry))
                    ? Optional.of(text.substring(0, bar))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static byte[] mac(String key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
