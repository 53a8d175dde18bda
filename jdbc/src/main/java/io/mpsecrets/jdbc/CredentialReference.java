package io.mpsecrets.jdbc;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user or password as a datasource's configuration gives it: a reference {@code ${store::id}} (or {@code
 * store::id}, the form for a server's XML, where {@code ${...}} is the server's own variable syntax), or, for a user
 * name only, the name itself.
 *
 * @param store the store's name, or null for a literal user name
 * @param id the secret, with the field to take, or null for a literal user name
 * @param literal the user name as given, or null for a reference
 */
record CredentialReference(String store, SecretId id, String literal) {

    /** Longer than any reference a configuration holds; a longer one is refused unread. */
    static final int MAX_LENGTH = 1024;

    private static final Pattern REFERENCE = Pattern.compile(
            "\\$\\{([A-Za-z0-9][A-Za-z0-9_.-]{0,63})::([^{}]+)}|([A-Za-z0-9][A-Za-z0-9_.-]{0,63})::(.+)");

    /**
     * @param setting the setting's name, for messages
     * @param text what it holds
     * @param literalAllowed whether text that is no reference is taken as it is (a user name)
     * @return the reference or literal
     * @throws IllegalArgumentException naming the setting, never quoting its value
     */
    static CredentialReference parse(String setting, String text, boolean literalAllowed) {
        Objects.requireNonNull(text, setting);
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(setting + " is longer than " + MAX_LENGTH + " characters");
        }
        Matcher m = REFERENCE.matcher(text.strip());
        if (m.matches()) {
            String store = m.group(1) != null ? m.group(1) : m.group(3);
            String id = m.group(1) != null ? m.group(2) : m.group(4);
            try {
                return new CredentialReference(store, SecretId.parse(id), null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + " is not a valid secret reference: " + e.getMessage());
            }
        }
        if (!literalAllowed || text.contains("${")) {
            // a password given as text would sit in the server's configuration: the point of this driver is that it
            // does not; text with ${ is a reference mistyped, which must not be sent to the database as a password
            throw new IllegalArgumentException(setting
                    + " must be a secret reference, ${<store>::<secret id>#<field>} or <store>::<secret id>#<field>");
        }
        return new CredentialReference(null, null, text);
    }

    boolean isReference() {
        return store != null;
    }

    /** The whole secret a fetch reads: the id without its field. */
    SecretId secret() {
        return new SecretId(id.path(), null, id.versionId(), id.stage());
    }

    SecretRef ref(String property) {
        return SecretRef.secret(store, id.toString()).withProperty(property);
    }

    /** The reference as configured, without the braces; a literal user name as it is (a user name is not secret). */
    @Override
    public String toString() {
        return isReference() ? store + "::" + id : literal;
    }
}
