package io.mpsecrets.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads a plaintext or a value from standard input, or asks for it without echo at a terminal. */
final class StandardInput {

    /** Config values are small; anything larger is a mistake (a file piped in by accident). */
    static final int MAX_BYTES = 64 * 1024;

    private StandardInput() {}

    /**
     * All of standard input, less one trailing line break ({@code echo} adds one) unless {@code keepNewline}. At
     * an interactive terminal, prompts without echo instead.
     */
    static byte[] readSecret(InputStream in, boolean keepNewline, String prompt) {
        Console console = in == System.in ? System.console() : null;
        if (console != null) {
            char[] typed = console.readPassword("%s", prompt);
            if (typed == null) {
                throw new MpSecretsCommand.InputException("no plaintext given");
            }
            try {
                var buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
                byte[] bytes = Arrays.copyOf(buffer.array(), buffer.limit());
                Arrays.fill(buffer.array(), (byte) 0);
                return requireNonEmpty(bytes);
            } finally {
                Arrays.fill(typed, '\0');
            }
        }
        byte[] bytes = readAll(in);
        if (!keepNewline) {
            bytes = stripOneLineBreak(bytes);
        }
        return requireNonEmpty(bytes);
    }

    /** Standard input as text with surrounding whitespace removed (for ENC(...) values). */
    static String readValue(InputStream in) {
        String text = new String(readAll(in), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new MpSecretsCommand.InputException("no value on standard input");
        }
        return text;
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > MAX_BYTES) {
                    throw new MpSecretsCommand.InputException("standard input is larger than " + MAX_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new MpSecretsCommand.InputException(
                    "cannot read standard input: " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
        return out.toByteArray();
    }

    private static byte[] stripOneLineBreak(byte[] bytes) {
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        if (end == bytes.length) {
            return bytes;
        }
        byte[] out = Arrays.copyOf(bytes, end);
        Arrays.fill(bytes, (byte) 0);
        return out;
    }

    private static byte[] requireNonEmpty(byte[] bytes) {
        if (bytes.length == 0) {
            throw new MpSecretsCommand.InputException("no plaintext on standard input");
        }
        return bytes;
    }
}
