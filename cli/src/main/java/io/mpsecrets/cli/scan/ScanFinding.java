package io.mpsecrets.cli.scan;

import io.mpsecrets.api.LogSafe;

/**
 * One finding: where ({@code file}, or {@code file} as of a commit), the line, the rule, and the key or property
 * it concerns. Never a value: the finding is made from names only.
 *
 * @param file the file, relative to the path scanned
 * @param commit the commit the file was found in when scanning history, else null
 * @param line the line, from 1
 * @param rule what was found
 * @param subject the setting's key, or the property whose value was found
 */
public record ScanFinding(String file, String commit, int line, ScanRule rule, String subject) {

    /** {@code config/app.properties:12: plaintext-secret: db.password}, names escaped. */
    @Override
    public String toString() {
        return LogSafe.escape((commit == null ? "" : commit + ":") + file) + ":" + line + ": " + rule.id() + ": "
                + LogSafe.token(subject) + (rule.error() ? "" : " (warning)");
    }
}
