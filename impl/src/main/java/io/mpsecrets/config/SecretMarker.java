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

/**
 * Sits next to the config sources (after profiles, before {@code ${...}} expansion) and replaces each secret in a
 * value by a short {@link SecretTag tag}, recording in the config's {@link TagTable} the property it was read as and
 * the secret: a whole {@code ENC(...)} value, and each {@code ${store::...}} reference of a known store anywhere in a
 * value, parsed. {@link SecretResolver} turns tags into plaintext after expansion. It fetches and decrypts nothing
 * itself, so config build and name iteration never touch a KMS or a store. It also answers
 * {@link ConfigRegistry#LOOKUP} with its config's binding id.
 *
 * <p>SmallRye runs lower priorities closer to the sources: profiles are at 3200, expressions at 3300.
 */
@Priority(SecretMarker.PRIORITY)
public final class SecretMarker implements ConfigSourceInterceptor {

    public static final int PRIORITY = Priorities.LIBRARY + 260;
    private static final long serialVersionUID = 1L;

    private final transient ConfigBinding binding;

    SecretMarker(ConfigBinding binding) {
        this.binding = binding;
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (name.equals(ConfigRegistry.LOOKUP)) {
            return ConfigValue.builder().withName(name).withValue(binding.id()).build();
        }
        ConfigValue value = context.proceed(name);
        if (value == null) {
            return null;
        }
        String raw = value.getValue();
        if (raw == null || !(EncryptedValue.isEncryptedForm(raw) || raw.indexOf("::") >= 0)) {
            return value;
        }
        TagTable.Marked last = binding.tags().marked(name);
        if (last == null || !(last.raw() == raw || last.raw().equals(raw))) {
            last = mark(name, raw);
        }
        return last.tagged(value);
    }

    private TagTable.Marked mark(String property, String raw) {
        TagTable tags = binding.tags();
        synchronized (tags) {
            TagTable.Marked last = tags.marked(property);
            if (last != null && last.raw().equals(raw)) {
                return last;
            }
            List<String> given = new ArrayList<>();
            String rewritten;
            try {
                if (EncryptedValue.isEncryptedForm(raw)) {
                    // White space around ENC(...) (an editor's trailing space) changes nothing; an ENC(-shaped value
                    // that is not a well-formed one fails when read, never reaching the application as its text.
                    String tag = tags.tag(new TagTable.Encrypted(property, raw.strip()));
                    given.add(tag);
                    rewritten = tag;
                } else {
                    rewritten = rewriteReferences(property, raw, given);
                }
            } catch (RuntimeException malformed) {
                // A bad reference after good ones: the good ones' tags go too, or every read of the value (which
                // is marked again each time, as it never gets a marking) would leave tags behind.
                given.forEach(tags::retire);
                throw malformed;
            }
            TagTable.Marked next = new TagTable.Marked(raw, rewritten, List.copyOf(given));
            tags.replace(property, last, next);
            return next;
        }
    }

    /**
     * Replaces each {@code ${store::id}} of ours (not escaped as {@code \${} or {@code $${}) by a tag. A value nested
     * deeper than {@link RawValues#MAX_NESTING} is refused before SmallRye's parser, which recurses per level, sees it.
     */
    private String rewriteReferences(String property, String raw, List<String> given) {
        if (RawValues.nesting(raw) > RawValues.MAX_NESTING) {
            throw new MalformedValueException(
                    SecretRef.property(property),
                    "${...} expressions nested more than " + RawValues.MAX_NESTING + " deep");
        }
        return ReferenceScanner.replace(property, raw, binding::isStore, (reference, after) -> {
            String tag = binding.tags().tag(new TagTable.Reference(property, reference));
            given.add(tag);
            return tag;
        });
    }
}
