package io.mpsecrets.support;

import io.mpsecrets.api.exception.SecretException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * UTF-8 decoding that refuses malformed input instead of replacing it with U+FFFD: a key id, a decrypted value or a
 * stored secret that is not UTF-8 text is an error of its own, never silently altered text.
 */
public final class StrictUtf8 {

    private StrictUtf8() {}

    /**
     * Decodes {@code bytes}; when they are not UTF-8, throws what {@code notText} makes (which must not quote
     * them).
     */
    public static String decode(byte[] bytes, Supplier<? extends SecretException> notText) {
        if (ascii(bytes)) {
            // Most secrets are ASCII: one copy into the string, none through a CharBuffer that nobody zeroes.
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw notText.get();
        }
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
