package io.mpsecrets.validate;

import io.mpsecrets.api.LogSafe;

/**
 * One problem with one property. The message says what is wrong in words that carry nothing of the value.
 *
 * @param severity errors stop an application started with {@code mpsecrets.validate=fail}; warnings never do
 */
public record Finding(String property, Rule rule, Severity severity, String message) {

    public enum Severity {
        ERROR,
        WARNING
    }

    public enum Rule {
        MISSING("missing"),
        PLAINTEXT("plaintext"),
        UNREADABLE("unreadable"),
        TOO_SHORT("too-short"),
        LOW_VARIETY("low-variety"),
        PLACEHOLDER("placeholder"),
        SAME_AS_OTHER_ENVIRONMENT("same-as-other-environment"),
        ROTATION_OVERDUE("rotation-overdue"),
        ROTATION_DUE("rotation-due");

        private final String label;

        Rule(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * {@code db.password: placeholder: a known placeholder value (class critical)}: the property one {@link
     * LogSafe#token token} (quoted when it holds a space, a quote, '=' or anything beyond printable ASCII), the rest
     * escaped, so that a name cannot forge a finding or pass for another name.
     */
    @Override
    public String toString() {
        return LogSafe.token(property) + ": "
                + LogSafe.escape(rule.label() + ": " + message + (severity == Severity.WARNING ? " (warning)" : ""));
    }
}
