package io.mpsecrets.envelope;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.crypto.AesGcm;
import io.mpsecrets.support.StrictUtf8;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * One {@code ENC(...)} value, format v1: {@code ENC(} base64url, unpadded, of
 *
 * <pre>
 *   version (1 byte, 0x01) · flags (1 byte; bit 0: bound to a property name)
 *   · key id length (2 bytes, big-endian) · key id (UTF-8)
 *   · wrapped data key length (2 bytes) · wrapped data key (as the KMS returned it)
 *   · nonce (12 bytes) · AES-256-GCM ciphertext with its 16-byte tag
 * </pre>
 *
 * {@code )}. Everything before the nonce is the header; the associated data of the AES-GCM encryption is the
 * header followed, for a bound value, by the property name (length-prefixed). So the version, flags, key id and
 * wrapped key are authenticated, and a bound value read under another property name fails. docs/format.md
 * describes the same layout for people.
 */
public final class EncryptedValue {

    public static final String PREFIX = "ENC(";
    public static final String SUFFIX = ")";
    public static final byte VERSION_1 = 1;
    public static final int FLAG_BOUND = 1;
    public static final int NONCE_LENGTH = AesGcm.NONCE_LENGTH;
    public static final int TAG_LENGTH = AesGcm.TAG_LENGTH;
    static final int MAX_KEY_ID_LENGTH = 2048;
    static final int MAX_WRAPPED_KEY_LENGTH = 4096;

    private final boolean bound;
    private final String keyId;
    private final byte[] wrappedKey;
    private final byte[] nonce;
    private final byte[] ciphertext;
    private final byte[] header;

    EncryptedValue(boolean bound, String keyId, byte[] wrappedKey, byte[] nonce, byte[] ciphertext) {
        this.bound = bound;
        this.keyId = keyId;
        this.wrappedKey = wrappedKey;
        this.nonce = nonce;
        this.ciphertext = ciphertext;
        this.header = header(bound, keyId, wrappedKey);
    }

    /**
     * Whether a config value is meant as an encrypted value: after any white space it starts with {@code ENC(}. Such a
     * value is decrypted or refused, never handed out as it is; this is the one rule every part of mp-secrets uses.
     */
    public static boolean isEncryptedForm(String text) {
        if (text == null) {
            return false;
        }
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return text.startsWith(PREFIX, i);
    }

    /** Whether {@code text} is exactly {@code ENC(} ... {@code )}, possibly malformed inside. */
    public static boolean looksEncrypted(String text) {
        return text != null
                && text.startsWith(PREFIX)
                && text.endsWith(SUFFIX)
                && text.length() >= PREFIX.length() + SUFFIX.length();
    }

    /**
     * Parses an {@code ENC(...)} value. {@code ref} names the property for the error, which never quotes the text.
     *
     * @throws MalformedValueException when the text is not a well-formed v1 value
     */
    public static EncryptedValue parse(String text, SecretRef ref) {
        if (!looksEncrypted(text)) {
            throw new MalformedValueException(ref, "the value is not of the form ENC(...)");
        }
        String body = text.substring(PREFIX.length(), text.length() - SUFFIX.length());
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new MalformedValueException(ref, "the text inside ENC(...) is not base64url");
        }
        // One value, one spelling: reject padding and non-zero trailing bits that the decoder would tolerate.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(body)) {
            throw new MalformedValueException(ref, "the text inside ENC(...) is not canonical unpadded base64url");
        }
        return decode(bytes, ref);
    }

    static EncryptedValue decode(byte[] bytes, SecretRef ref) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 2) {
            throw new MalformedValueException(ref, "truncated");
        }
        byte version = in.get();
        if (version != VERSION_1) {
            throw new MalformedValueException(ref, "unsupported format version " + (version & 0xff));
        }
        int flags = in.get() & 0xff;
        if ((flags & ~FLAG_BOUND) != 0) {
            throw new MalformedValueException(ref, "unknown flags");
        }
        byte[] keyIdBytes = readSized(in, MAX_KEY_ID_LENGTH, "key id", ref);
        String keyId = StrictUtf8.decode(keyIdBytes, () -> new MalformedValueException(ref, "the key id is not UTF-8"));
        SecretRef named = ref.withKeyId(printableKeyId(keyId));
        byte[] wrapped = readSized(in, MAX_WRAPPED_KEY_LENGTH, "wrapped data key", named);
        if (in.remaining() < NONCE_LENGTH + TAG_LENGTH) {
            throw new MalformedValueException(named, "truncated: no room for nonce and tag");
        }
        byte[] nonce = new byte[NONCE_LENGTH];
        in.get(nonce);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        return new EncryptedValue((flags & FLAG_BOUND) != 0, keyId, wrapped, nonce, ciphertext);
    }

    private static byte[] readSized(ByteBuffer in, int max, String what, SecretRef ref) {
        if (in.remaining() < 2) {
            throw new MalformedValueException(ref, "truncated before the " + what + " length");
        }
        int length = in.getShort() & 0xffff;
        if (length == 0 || length > max) {
            throw new MalformedValueException(ref, "bad " + what + " length " + length);
        }
        if (in.remaining() < length) {
            throw new MalformedValueException(ref, "truncated inside the " + what);
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    /** A key id read from untrusted input, safe to put in a message: control characters replaced, length capped. */
    static String printableKeyId(String keyId) {
        StringBuilder out = new StringBuilder(Math.min(keyId.length(), 200));
        for (int i = 0; i < keyId.length() && i < 200; i++) {
            char c = keyId.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return keyId.length() > 200 ? out + "..." : out.toString();
    }

    private static byte[] header(boolean bound, String keyId, byte[] wrappedKey) {
        byte[] keyIdBytes = keyId.getBytes(StandardCharsets.UTF_8);
        if (keyIdBytes.length == 0 || keyIdBytes.length > MAX_KEY_ID_LENGTH) {
            throw new IllegalArgumentException("key id length " + keyIdBytes.length);
        }
        if (wrappedKey.length == 0 || wrappedKey.length > MAX_WRAPPED_KEY_LENGTH) {
            throw new IllegalArgumentException("wrapped key length " + wrappedKey.length);
        }
        ByteBuffer out = ByteBuffer.allocate(2 + 2 + keyIdBytes.length + 2 + wrappedKey.length);
        out.put(VERSION_1).put((byte) (bound ? FLAG_BOUND : 0));
        out.putShort((short) keyIdBytes.length).put(keyIdBytes);
        out.putShort((short) wrappedKey.length).put(wrappedKey);
        return out.array();
    }

    /** The associated data of the AES-GCM encryption: the header, then the property name if bound. */
    byte[] associatedData(String property) {
        if (!bound) {
            return header;
        }
        byte[] name = property.getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xffff) {
            throw new IllegalArgumentException("property name too long");
        }
        ByteBuffer out = ByteBuffer.allocate(header.length + 2 + name.length);
        out.put(header).putShort((short) name.length).put(name);
        return out.array();
    }

    public String format() {
        byte[] bytes = encode();
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + SUFFIX;
    }

    byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(header.length + nonce.length + ciphertext.length);
        out.put(header).put(nonce).put(ciphertext);
        return out.array();
    }

    public boolean bound() {
        return bound;
    }

    public String keyId() {
        return keyId;
    }

    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    byte[] wrappedKeyUnsafe() {
        return wrappedKey;
    }

    byte[] nonce() {
        return nonce;
    }

    byte[] ciphertext() {
        return ciphertext;
    }

    /** Length of the plaintext inside. */
    public int plaintextLength() {
        return ciphertext.length - TAG_LENGTH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedValue other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nonce);
    }

    /** Names the key, never the bytes. */
    @Override
    public String toString() {
        return "EncryptedValue[v1, key=" + printableKeyId(keyId) + (bound ? ", bound" : ", unbound") + "]";
    }
}
