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
}
