package io.mpsecrets.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.util.Objects;

/**
 * Decrypts the {@code ENC(...)} values that {@link EncryptedValueMarker} marked, when a value is asked for and
 * only then. It runs after {@code ${...}} expansion, so a plaintext is never expanded, and an expression that
 * refers to an encrypted property ({@code url=jdbc:...?password=${db.password}}) gets it decrypted too, bound to
 * the property it was read from. Registered through {@link EncryptedValueInterceptorFactory}.
 */
public final class EncryptedValueInterceptor implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;

    private final transient SecretsRuntime runtime;

    public EncryptedValueInterceptor(SecretsRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    public SecretsRuntime runtime() {
        return runtime;
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null) {
            return null;
        }
        String text = value.getValue();
        if (text == null || !EncryptedValueTag.contains(text)) {
            return value;
        }
        return value.withValue(resolve(context, name, text));
    }

    private String resolve(ConfigSourceInterceptorContext context, String name, String text) {
        int start = text.indexOf(EncryptedValueTag.START);
        int end = text.indexOf(EncryptedValueTag.END, start);
        if (start == 0 && end == text.length() - 1) {
            return decrypt(context, name, text);
        }
        // Marked values inside a longer one: an expression expanded them into it.
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (start >= 0) {
            if (end < 0) {
                throw EncryptedValueTag.malformed(name);
            }
            out.append(text, from, start).append(decrypt(context, name, text.substring(start, end + 1)));
            from = end + 1;
            start = text.indexOf(EncryptedValueTag.START, from);
            end = start < 0 ? -1 : text.indexOf(EncryptedValueTag.END, start);
        }
        if (text.indexOf(EncryptedValueTag.END, from) >= 0) {
            throw EncryptedValueTag.malformed(name);
        }
        return out.append(text, from, text.length()).toString();
    }

    private String decrypt(ConfigSourceInterceptorContext context, String name, String tag) {
        String cached = runtime.cachedPlaintext(tag);
        if (cached != null) {
            return cached;
        }
        ConfigValue raw = context.proceed(EncryptedValueTag.rawLookup(tag));
        if (raw == null) {
            // Not a tag the marker gave (or its value changed meanwhile): a raw value holding U+0002.
            throw EncryptedValueTag.malformed(name);
        }
        return runtime.decrypt(raw.getName(), raw.getValue(), tag);
    }
}
