package io.mpsecrets.config;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.runtime.SecretReference;
import java.util.function.Predicate;

/**
 * Finds the {@code ${store::id}} references of known stores in a raw value, the one reading of reference syntax
 * that the SmallRye marker and the portable source share: a reference escaped as {@code \${} or {@code $${} is the
 * application's text, as is {@code ${name::...}} for a name that is not a store; a reference that holds another
 * {@code ${...}} or does not parse is a {@link MalformedValueException} naming the property.
 */
final class ReferenceScanner {

    /** What a reference becomes; {@code after} is the index in the raw value just past its closing brace. */
    @FunctionalInterface
    interface Replacement {
        String apply(SecretReference reference, int after);
    }

    private ReferenceScanner() {}

    /**
     * {@code raw} with each reference replaced by what {@code replacement} gives for it, or {@code raw} itself (the
     * same instance) when it holds none.
     */
    static String replace(String property, String raw, Predicate<String> isStore, Replacement replacement) {
        StringBuilder out = null;
        int from = 0;
        int start = raw.indexOf("${");
        while (start >= 0) {
            boolean escaped = start > 0 && (raw.charAt(start - 1) == '\\' || raw.charAt(start - 1) == '$');
            int separator = raw.indexOf("::", start + 2);
            int end = raw.indexOf('}', start + 2);
            if (!escaped && separator > 0 && end > separator && isStore.test(raw.substring(start + 2, separator))) {
                String inside = raw.substring(start + 2, end);
                if (inside.contains("${")) {
                    throw new MalformedValueException(
                            SecretRef.property(property),
                            "a secret reference cannot contain another ${...} expression");
                }
                SecretReference reference;
                try {
                    reference = SecretReference.parse(inside, isStore);
                } catch (IllegalArgumentException e) {
                    throw new MalformedValueException(
                            SecretRef.property(property), "bad secret reference: " + e.getMessage());
                }
                if (out == null) {
                    out = new StringBuilder(raw.length());
                }
                out.append(raw, from, start).append(replacement.apply(reference, end + 1));
                from = end + 1;
                start = raw.indexOf("${", from);
            } else {
                start = raw.indexOf("${", start + 2);
            }
        }
        return out == null ? raw : out.append(raw, from, raw.length()).toString();
    }
}
