package io.mpsecrets.audit;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.event.SecretEvent;
import java.util.Map;

/**
 * One audit event as one structured log line: {@code event=decrypted property=db.password key=local:dev-1
 * outcome=ok app=orders thread=main}. Each value is one {@link LogSafe#token token}: a value with spaces, quotes,
 * '=' or anything beyond printable ASCII is quoted, with every control, separator, invisible and bidirectional
 * character written as {@code \}{@code uXXXX}, so that one event is one line, parseable, however its names were made.
 *
 * <p>Every line on the {@code io.mpsecrets.audit} logger is written by {@link AuditLog}, from this class's lines.
 */
public final class AuditLogLine {

    private AuditLogLine() {}

    public static String format(SecretEvent event) {
        StringBuilder out = new StringBuilder(128);
        for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(attribute.getKey()).append('=').append(LogSafe.token(attribute.getValue()));
        }
        return out.toString();
    }

    /**
     * A warning about one property that is not an event ({@code mp-secrets: Secret expiry: db.password: rotation
     * overdue: ...}): the property is a {@link LogSafe#token token}, the text escaped.
     */
    public static String notice(String subject, String property, String text) {
        return "mp-secrets: " + LogSafe.escape(subject) + ": " + LogSafe.token(property) + ": " + LogSafe.escape(text);
    }
}
