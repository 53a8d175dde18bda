package io.mpsecrets.api.backend;

/** Byte counts as people read them in limits and errors: {@code 64 KiB}, {@code 1 MiB}, {@code 300 bytes}. */
public final class Sizes {

    private Sizes() {}

    /**
     * {@code bytes} in the largest unit that divides it exactly, so that a limit is never shown rounded.
     *
     * @param bytes a count of bytes
     * @return e.g. {@code 1 MiB}, {@code 64 KiB} or {@code 1500 bytes}
     */
    public static String format(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }
}
