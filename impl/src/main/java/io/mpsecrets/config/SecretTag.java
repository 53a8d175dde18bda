package io.mpsecrets.config;

import java.security.SecureRandom;

/**
 * How a secret travels from {@link SecretMarker} (next to the sources) to {@link SecretResolver} (after
 * {@code ${...}} expansion): as a tag of a few characters, {@code U+0002 · nonce · serial (base 36) · U+0003}, that
 * the marker maps to the property the value was read as and the secret. Tags contain no {@code $} or braces, so
 * expansion passes them through untouched and an expression that refers to an encrypted property carries its tag
 * into the referring value. They are short because SmallRye 3.3 re-parses every value for expressions on every
 * lookup.
 *
 * <p>The nonce is random per config (40 bits), so a tag cannot be forged: text in a config value that merely looks
 * like one ({@code U+0002 1 U+0003}) has no nonce, is not ours, and reaches the application as it was written.
 */
final class SecretTag {

    static final char START = '\u0002';
    static final char END = '\u0003';
    private static final int NONCE_LENGTH = 8;
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretTag() {}

    /** A fresh nonce: {@value #NONCE_LENGTH} characters of 5 random bits each. */
    static String nonce() {
        char[] out = new char[NONCE_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static String of(String nonce, long serial) {
        return START + nonce + Long.toString(serial, 36) + END;
    }

    static boolean contains(String value) {
        return value.indexOf(START) >= 0;
    }

    /** Whether the text at {@code start} (a {@link #START}) begins a tag with {@code nonce}. */
    static boolean ours(String text, int start, String nonce) {
        return text.startsWith(nonce, start + 1);
    }
}
