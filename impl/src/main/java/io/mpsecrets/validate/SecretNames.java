package io.mpsecrets.validate;

import io.mpsecrets.api.backend.Settings;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which property names say "a secret lives here": the last part of the name, or the last two joined with a dash,
 * is one of the words ({@code password}, {@code token}, {@code api-key}, ...) or ends with {@code -word}. So
 * {@code db.password}, {@code stripe.api-key}, {@code app.api.key} and {@code oauth.client-secret} are secrets, and
 * {@code password-policy.min-length}, {@code token.ttl} and {@code cache.key} are not. Case and {@code _} versus
 * {@code -} do not matter. {@code mpsecrets.validate.secret-names} replaces the words;
 * {@code mpsecrets.validate.not-secrets} exempts single properties.
 */
public final class SecretNames {

    public static final List<String> DEFAULT_WORDS = List.of(
            "password",
            "passwd",
            "pwd",
            "passphrase",
            "secret",
            "token",
            "api-key",
            "apikey",
            "private-key",
            "credential",
            "credentials",
            "access-key",
            "secret-key",
            "signing-key",
            "client-secret");

    private final Set<String> words;
    private final Set<String> exempt;

    SecretNames(Set<String> words, Set<String> exempt) {
        this.words = Set.copyOf(words);
        this.exempt = Set.copyOf(exempt);
    }

    /**
     * {@code mpsecrets.validate.secret-names} (default {@link #DEFAULT_WORDS}) and {@code
     * mpsecrets.validate.not-secrets}.
     */
    public static SecretNames read(Settings settings) {
        List<String> configured = settings.list("mpsecrets.validate.secret-names");
        return new SecretNames(
                Set.copyOf((configured.isEmpty() ? DEFAULT_WORDS : configured)
                        .stream().map(SecretNames::normal).toList()),
                Set.copyOf(settings.list("mpsecrets.validate.not-secrets")));
    }

    public boolean matches(String property) {
        if (exempt.contains(property) || property.startsWith("%")) {
            return false;
        }
        // -1 keeps empty parts: a name of dots alone (Quarkus has such) has parts, all empty, and no secret word.
        String[] parts = normal(property).split("\\.", -1);
        String last = parts[parts.length - 1];
        return word(last) || (parts.length > 1 && word(parts[parts.length - 2] + "-" + last));
    }

    private boolean word(String part) {
        for (String word : words) {
            if (part.equals(word) || part.endsWith("-" + word)) {
                return true;
            }
        }
        return false;
    }

    private static String normal(String text) {
        return text.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
