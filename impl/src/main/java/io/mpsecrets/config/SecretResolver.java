package io.mpsecrets.config;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.runtime.SecretsRuntime;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces the tags {@link SecretMarker} put in values by plaintext, when a value is asked for and only then:
 * an {@code ENC(...)} value decrypted for the property it was read as, a {@code ${store::id}} reference from the
 * store (through the application's cache). It runs after {@code ${...}} expansion, so a plaintext is never
 * expanded, and an expression that refers to a secret property gets the plaintext too. Registered through
 * {@link SecretResolverFactory}.
 */
public final class SecretResolver implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;
    private static final int READ_ATTEMPTS = 5;

    /** Names read, at most: beyond it (names made up at run time) reads take the longer way, as before. */
    private static final int MAX_LAST_TAGS = 10_000;

    /**
     * The tag a name last resolved as its whole value, and what it stands for. A read whose value is that tag again
     * (the common case: an unchanged {@code ENC(...)} or {@code ${store::id}} property) compares it with one string
     * instead of checking the nonce and hashing the tag; a tag matched here is genuine, as only tags given out by this
     * config's marker are kept. A tag retired since still stands for what the marker saw in this read.
     */
    private record LastTag(String tag, TagTable.Piece piece) {}

    private final transient ConfigBinding binding;
    private final transient SecretsRuntime runtime;
    private final transient ConcurrentHashMap<String, LastTag> lastTags = new ConcurrentHashMap<>();

    SecretResolver(ConfigBinding binding) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.runtime = Objects.requireNonNull(binding.runtime(), "runtime");
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        for (int attempt = 1; ; attempt++) {
            ConfigValue value = context.proceed(name);
            if (value == null) {
                return null;
            }
            String text = value.getValue();
            if (text == null || !SecretTag.contains(text)) {
                return value;
            }
            LastTag last = lastTags.get(name);
            if (last != null && last.tag().equals(text)) {
                // The tag this name last resolved, whole: the same secret, with no parsing and no tag lookup.
                // Its copy with the plaintext is made anew each time: kept, it would hold a plaintext past a close
                // of the runtime or with the plaintext cache off.
                return value.withValue(plaintext(context, last.piece()));
            }
            try {
                String resolved = resolve(context, name, text);
                return resolved == text ? value : value.withValue(resolved);
            } catch (StaleTag stale) {
                // The value changed between the marker and here, which retired its tag: read it again.
                if (attempt == READ_ATTEMPTS) {
                    throw new MalformedValueException(
                            SecretRef.property(name),
                            "the value kept changing while it was read (" + READ_ATTEMPTS + " tries)");
                }
            }
        }
    }

    /**
     * Replaces each of this config's tags in {@code text} by its plaintext. Anything else, U+0002/U+0003 included,
     * is the application's text and stays as it is.
     */
    private String resolve(ConfigSourceInterceptorContext context, String name, String text) {
        String nonce = binding.tags().nonce();
        int start = text.indexOf(SecretTag.START);
        int last = text.length() - 1;
        if (start == 0
                && text.charAt(last) == SecretTag.END
                && text.indexOf(SecretTag.END) == last
                && SecretTag.ours(text, 0, nonce)) {
            TagTable.Piece piece = piece(text);
            String plaintext = plaintext(context, piece);
            if (lastTags.size() < MAX_LAST_TAGS) {
                lastTags.put(name, new LastTag(text, piece));
            }
            return plaintext;
        }
        // Tags inside a longer value: references, or an expression expanded them into it.
        StringBuilder out = null;
        int from = 0;
        while (start >= 0) {
            int end = text.indexOf(SecretTag.END, start + 1);
            if (end < 0) {
                break;
            }
            if (SecretTag.ours(text, start, nonce)) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, from, start).append(plaintext(context, piece(text.substring(start, end + 1))));
                from = end + 1;
                start = text.indexOf(SecretTag.START, from);
            } else {
                start = text.indexOf(SecretTag.START, start + 1);
            }
        }
        return out == null ? text : out.append(text, from, text.length()).toString();
    }

    /** What one of this config's tags stands for. */
    private TagTable.Piece piece(String tag) {
        TagTable.Piece piece = binding.tags().piece(tag);
        if (piece == null) {
            // One of this config's tags that the marker has retired: the value changed while it was read.
            throw StaleTag.INSTANCE;
        }
        return piece;
    }

    private String plaintext(ConfigSourceInterceptorContext context, TagTable.Piece piece) {
        if (piece instanceof TagTable.Encrypted encrypted) {
            return runtime.encrypted().plaintext(encrypted.property(), encrypted.text());
        }
        TagTable.Reference reference = (TagTable.Reference) piece;
        return runtime.stores().value(reference.property(), reference.reference(), settingsOf(context));
    }

    /** A retired tag was met; the read starts again. Carries nothing, so it costs nothing to throw. */
    private static final class StaleTag extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final StaleTag INSTANCE = new StaleTag();

        private StaleTag() {
            super(null, null, false, false);
        }
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
