package io.mpsecrets.jdbc;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code jdbc:mpsecrets:<the driver's URL without its jdbc:>}, and the checks a URL passes before it is used. */
final class JdbcUrls {

    static final String PREFIX = "jdbc:mpsecrets:";
    /** Longer than any JDBC URL; a longer one is refused unread. */
    static final int MAX_LENGTH = 4096;

    /**
     * A password in a URL: {@code password=} in a query or property list, user info {@code //user:pw@}, or Oracle's
     * {@code thin:user/pw@}.
     */
    private static final Pattern PASSWORD =
            Pattern.compile("(?i)([?&;:/]\\s*password\\s*=)|(//[^/@?#]*:[^/@?#]*@)|(:thin:[^@/:]+/[^@]*@)");

    private JdbcUrls() {}

    static boolean ours(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * The target driver's URL: {@code jdbc:} and what follows {@code jdbc:mpsecrets:}.
     *
     * @throws SQLException (08001) when the URL is too long, empty after the prefix, or holds a password; the message
     *     never quotes the URL
     */
    static String target(String url) throws SQLException {
        if (url.length() > MAX_LENGTH) {
            throw new SQLNonTransientConnectionException(
                    "mp-secrets: the URL is longer than " + MAX_LENGTH + " characters", "08001");
        }
        String rest = url.substring(PREFIX.length());
        if (rest.isBlank() || rest.toLowerCase(Locale.ROOT).startsWith("mpsecrets:")) {
            throw new SQLNonTransientConnectionException(
                    "mp-secrets: the URL names no target driver: write jdbc:mpsecrets:<subprotocol>:...", "08001");
        }
        String target = "jdbc:" + rest;
        checkNoPassword(target);
        return target;
    }

    /** Refuses a URL with a password in it: the password comes from a secret reference, and the URL is logged. */
    static void checkNoPassword(String url) throws SQLException {
        if (PASSWORD.matcher(url).find()) {
            throw new SQLNonTransientConnectionException(
                    "mp-secrets: the URL holds a password (not quoted here); give the password as a secret reference"
                            + " in the password property",
                    "08001");
        }
    }

    /** The URL's subprotocol for messages and toString()s: {@code jdbc:postgresql}, never the rest. */
    static String scheme(String url) {
        if (url == null) {
            return "(no URL)";
        }
        int colon = url.indexOf(':', url.startsWith("jdbc:") ? 5 : 0);
        String scheme = colon < 0 ? url : url.substring(0, colon);
        return scheme.length() > 64 || !scheme.matches("[A-Za-z0-9:._-]*") ? "jdbc" : scheme;
    }
}
