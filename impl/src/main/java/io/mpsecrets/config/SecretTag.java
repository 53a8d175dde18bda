package io.mpsecrets.config;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.MalformedValueException;

/**
 * How an {@code ENC(...)} value travels from {@link SecretMarker} (next to the sources) to
 * {@link SecretResolver} (after {@code ${...}} expansion): as a tag of a few characters,
 * {@code U+0002 · serial (base 36) · U+0003}, that the marker maps to the property the value was read as and the
 * secret. Tags contain no {@code $} or braces, so expansion passes them through untouched and an expression that
 * refers to an encrypted property carries its tag into the referring value. They are short because SmallRye 3.3
 * re-parses every value for expressions on every lookup.
 *
 * <p>The resolver reads what a tag stands for from the config's {@link TagTable}, which the marker filled.
 */
final class SecretTag {

    static final char START = '\u0002';
    static final char END = '\u0003';

    private SecretTag() {}

    static String of(long serial) {
        return START + Long.toString(serial, 36) + END;
    }

    static boolean contains(String value) {
        return value.indexOf(START) >= 0;
    }

    static MalformedValueException malformed(String readAs) {
        return new MalformedValueException(
                SecretRef.property(readAs),
                "the value contains the control characters U+0002/U+0003, which mp-secrets reserves");
    }
}
