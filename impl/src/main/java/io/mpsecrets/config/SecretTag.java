package io.mpsecrets.config;

import java.security.SecureRandom;

/**
 * How a secret travels from {@link SecretMarker} (next to the sources) to {@link SecretResolver} (after
 * {@code ${...}} expansion): as a tag of a few characters, {@code U+0002 · nonce · serial · U+0003}, that the marker
 * maps to the property the value was read as and the secret. Tags contain no {@code $}, braces, colon or backslash,
 * so expansion passes them through untouched and an expression that refers to an encrypted property carries its tag
 * into the referring value. They are short because SmallRye 3.3 re-parses every value for expressions on every
 * lookup, at about 5 ns a character: the tag of a cached {@code ENC(...)} value is usually 9 characters.
 *
 * <p>The nonce is random per config (6 characters of 156 symbols: 43 bits), so a tag cannot be forged:
 * text in a config value that merely looks like one ({@code U+0002 1 U+0003}) has no nonce, is not ours, and reaches
 * the application as it was written. Nonce and serial are written in ASCII letters and digits and the printable
 * Latin-1 letters and signs ({@code U+00A1}-{@code U+00FF} without the soft hyphen): more bits a character than base
 * 36, and still one byte each in a compact string.
 */
final class SecretTag {

    static final char START = '\u0002';
    static final char END = '\u0003';
    private static final int NONCE_LENGTH = 6;
    private static final char[] ALPHABET = alphabet();
    private static final int RADIX = ALPHABET.length;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretTag() {}

    private static char[] alphabet() {
        StringBuilder symbols = new StringBuilder();
        for (char c = '0'; c <= 'z'; c++) {
            if (Character.isLetterOrDigit(c)) {
                symbols.append(c);
            }
        }
        for (char c = '\u00a1'; c <= '\u00ff'; c++) {
            if (c != '\u00ad') {
                symbols.append(c);
            }
        }
        return symbols.toString().toCharArray();
    }

    /** A fresh nonce: {@value #NONCE_LENGTH} random symbols. */
    static String nonce() {
        char[] out = new char[NONCE_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static String of(String nonce, long serial) {
        StringBuilder tag = new StringBuilder(NONCE_LENGTH + 5).append(START).append(nonce);
        long rest = serial;
        do {
            tag.append(ALPHABET[(int) (rest % RADIX)]);
            rest /= RADIX;
        } while (rest > 0);
        return tag.append(END).toString();
    }

    static boolean contains(String value) {
        return value.indexOf(START) >= 0;
    }

    /** Whether the text at {@code start} (a {@link #START}) begins a tag with {@code nonce}. */
    static boolean ours(String text, int start, String nonce) {
        return text.startsWith(nonce, start + 1);
    }
}
