package io.mpsecrets.config;

import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.settings.Settings;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.util.Objects;
import java.util.Optional;

/**
 * Replaces the tags {@link SecretMarker} put in values by plaintext, when a value is asked for and only then:
 * an {@code ENC(...)} value decrypted for the property it was read as, a {@code ${store::id}} reference from the
 * store (through the application's cache). It runs after {@code ${...}} expansion, so a plaintext is never
 * expanded, and an expression that refers to a secret property gets the plaintext too. Registered through
 * {@link SecretResolverFactory}.
 */
public final class SecretResolver implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;

    private final transient ConfigBinding binding;
    private final transient SecretsRuntime runtime;

    SecretResolver(ConfigBinding binding) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.runtime = Objects.requireNonNull(binding.runtime(), "runtime");
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null) {
            return null;
        }
        String text = value.getValue();
        if (text == null || !SecretTag.contains(text)) {
            return value;
        }
        return value.withValue(resolve(context, name, text));
    }

    private String resolve(ConfigSourceInterceptorContext context, String name, String text) {
        int start = text.indexOf(SecretTag.START);
        int end = text.indexOf(SecretTag.END, start);
        if (start == 0 && end == text.length() - 1) {
            return plaintext(context, name, text);
        }
        // Tags inside a longer value: references, or an expression expanded them into it.
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (start >= 0) {
            if (end < 0) {
                throw SecretTag.malformed(name);
            }
            out.append(text, from, start).append(plaintext(context, name, text.substring(start, end + 1)));
            from = end + 1;
            start = text.indexOf(SecretTag.START, from);
            end = start < 0 ? -1 : text.indexOf(SecretTag.END, start);
        }
        if (text.indexOf(SecretTag.END, from) >= 0) {
            throw SecretTag.malformed(name);
        }
        return out.append(text, from, text.length()).toString();
    }

    private String plaintext(ConfigSourceInterceptorContext context, String name, String tag) {
        TagTable.Piece piece = binding.tags().piece(tag);
        if (piece instanceof TagTable.Encrypted encrypted) {
            return runtime.encrypted().plaintext(encrypted.property(), encrypted.text());
        }
        if (piece instanceof TagTable.Reference reference) {
            return runtime.stores().value(reference.property(), reference.reference(), settingsOf(context));
        }
        // Not a tag the marker gave (or its value changed meanwhile): a raw value holding U+0002.
        throw SecretTag.malformed(name);
    }

    /** Settings read through the chain below, with secrets in them resolved: a Vault token may be ENC(...). */
    private Settings settingsOf(ConfigSourceInterceptorContext context) {
        return new Settings(setting -> {
            ConfigValue value = context.proceed(setting);
            if (value == null || value.getValue() == null) {
                return Optional.empty();
            }
            String text = value.getValue();
            return Optional.of(SecretTag.contains(text) ? resolve(context, setting, text) : text);
        });
    }
}
