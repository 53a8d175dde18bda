package io.mpsecrets.api.backend;

/** Byte counts as people read them in limits and errors: {@code 64 KiB}, {@code 1 MiB}, {@code 300 bytes}. */
public final class Sizes {

    private Sizes() {}

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
