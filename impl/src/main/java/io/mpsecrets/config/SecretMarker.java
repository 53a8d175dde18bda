package io.mpsecrets.config;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.envelope.EncryptedValue;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sits next to the config sources (after profiles, before {@code ${...}} expansion) and replaces each secret in a
 * value by a short {@link SecretTag tag}, remembering the property it was read as and the secret's text: a whole
 * {@code ENC(...)} value, and each {@code ${aws|vault|file|env::...}} reference anywhere in a value.
 * {@link SecretResolver} turns tags into plaintext after expansion. It fetches and decrypts nothing itself, so
 * config build and name iteration never touch a KMS or a store.
 *
 * <p>SmallRye runs lower priorities closer to the sources: profiles are at 3200, expressions at 3300.
 */
@Priority(SecretMarker.PRIORITY)
public final class SecretMarker implements ConfigSourceInterceptor {

    public static final int PRIORITY = Priorities.LIBRARY + 260;
    private static final long serialVersionUID = 1L;

    /** The last rewrite per property; renewed when the raw value changes. */
    private final transient ConcurrentHashMap<String, Marked> byProperty = new ConcurrentHashMap<>();
    private final transient ConcurrentHashMap<String, Piece> byTag = new ConcurrentHashMap<>();
    private final transient AtomicLong serials = new AtomicLong();

    private record Marked(String raw, String rewritten, List<String> tags) {
    }

    /**
     * What a tag stands for: the property it was read as and the secret's text, {@code ENC(...)} or, for a
     * reference, {@code store::id} without {@code ${ }}: the interceptor asks for it through expansion.
     */
    private record Piece(String property, String text) {
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (name.startsWith(SecretTag.RAW)) {
            Piece piece = byTag.get(name.substring(SecretTag.RAW.length()));
            // Not ours: another marker closer to the sources gave it (two copies of the jar on a class path).
            return piece == null ? context.proceed(name) : ConfigValue.builder().withName(piece.property()).withValue(piece.text()).build();
        }
        ConfigValue value = context.proceed(name);
        if (value == null) {
            return null;
        }
        String raw = value.getValue();
        if (raw == null || !(EncryptedValue.looksEncrypted(raw) || raw.indexOf("::") >= 0)) {
            return value;
        }
        Marked last = byProperty.get(name);
        if (last == null || !(last.raw() == raw || last.raw().equals(raw))) {
            last = mark(name, raw);
        }
        return last.rewritten() == raw ? value : value.withValue(last.rewritten());
    }

    private synchronized Marked mark(String property, String raw) {
        Marked last = byProperty.get(property);
        if (last != null && last.raw().equals(raw)) {
            return last;
        }
        List<String> tags = new ArrayList<>();
        String rewritten;
        if (EncryptedValue.looksEncrypted(raw)) {
            rewritten = tag(property, raw, tags);
        } else {
            rewritten = rewriteReferences(property, raw, tags);
        }
        Marked next = new Marked(raw, rewritten, List.copyOf(tags));
        byProperty.put(property, next);
        if (last != null) {
            last.tags().forEach(byTag::remove);
        }
        return next;
    }

    private String tag(String property, String text, List<String> tags) {
        String tag = SecretTag.of(serials.incrementAndGet());
        byTag.put(tag, new Piece(property, text));
        tags.add(tag);
        return tag;
    }

    /** Replaces each {@code ${store::id}} of ours (not escaped as {@code \${} or {@code $${}) by a tag. */
    private String rewriteReferences(String property, String raw, List<String> tags) {
        StringBuilder out = null;
        int from = 0;
        int start = raw.indexOf("${");
        while (start >= 0) {
            boolean escaped = start > 0 && (raw.charAt(start - 1) == '\\' || raw.charAt(start - 1) == '$');
            int separator = raw.indexOf("::", start + 2);
            int end = raw.indexOf('}', start + 2);
            if (!escaped && separator > 0 && end > separator && SecretReference.STORES.contains(raw.substring(start + 2, separator))) {
                String reference = raw.substring(start, end + 1);
                if (reference.indexOf("${", 2) >= 0) {
                    throw new MalformedValueException(SecretRef.property(property),
                            "a secret reference cannot contain another ${...} expression");
                }
                try {
                    SecretReference.parse(reference.substring(2, reference.length() - 1));
                } catch (IllegalArgumentException e) {
                    throw new MalformedValueException(SecretRef.property(property), "bad secret reference: " + e.getMessage());
                }
                if (out == null) {
                    out = new StringBuilder(raw.length());
                }
                out.append(raw, from, start).append(tag(property, reference.substring(2, reference.length() - 1), tags));
                from = end + 1;
                start = raw.indexOf("${", from);
            } else {
                start = raw.indexOf("${", start + 2);
            }
        }
        return out == null ? raw : out.append(raw, from, raw.length()).toString();
    }
}
