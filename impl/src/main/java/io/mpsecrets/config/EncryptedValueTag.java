package io.mpsecrets.config;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.MalformedValueException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How an {@code ENC(...)} value travels from {@link EncryptedValueMarker} (next to the sources) to
 * {@link EncryptedValueInterceptor} (after {@code ${...}} expansion): wrapped with the name of the property it was
 * read as, so that it decrypts bound to that name even when an expression copied it into another value, and so
 * that no plaintext ever passes through expression expansion or SmallRye's value logging.
 *
 * <p>Form: {@code U+0002 · base64url(property) · U+001F · ENC(...) · U+0003}. No part contains {@code $},
 * braces or the delimiters.
 */
final class EncryptedValueTag {

    static final char START = '\u0002';
    static final char SEPARATOR = '\u001F';
    static final char END = '\u0003';

    private EncryptedValueTag() {
    }

    static String of(String property, String encrypted) {
        return START + Base64.getUrlEncoder().withoutPadding().encodeToString(property.getBytes(StandardCharsets.UTF_8))
                + SEPARATOR + encrypted + END;
    }

    static boolean contains(String value) {
        return value.indexOf(START) >= 0;
    }

    /** The property a tag was read as. */
    static String property(String tag, String readAs) {
        int separator = tag.indexOf(SEPARATOR);
        if (tag.charAt(0) != START || separator < 0 || tag.charAt(tag.length() - 1) != END) {
            throw malformed(readAs);
        }
        try {
            return new String(Base64.getUrlDecoder().decode(tag.substring(1, separator)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed(readAs);
        }
    }

    /** The {@code ENC(...)} text of a tag. */
    static String encrypted(String tag) {
        return tag.substring(tag.indexOf(SEPARATOR) + 1, tag.length() - 1);
    }

    static MalformedValueException malformed(String readAs) {
        return new MalformedValueException(SecretRef.property(readAs),
                "the value contains the control characters U+0002/U+0003, which mp-secrets reserves");
    }
}
