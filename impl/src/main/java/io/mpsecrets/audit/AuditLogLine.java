package io.mpsecrets.audit;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.event.SecretEvent;
import java.util.Map;

/**
 * One audit event as one structured log line: {@code event=decrypted property=db.password key=local:dev-1
 * outcome=ok app=orders thread=main}. Values with spaces, quotes or '=' are quoted, so lines stay parseable.
 */
public final class AuditLogLine {

    private AuditLogLine() {}

    public static String format(SecretEvent event) {
        StringBuilder out = new StringBuilder(128);
        for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(attribute.getKey()).append('=');
            appendValue(out, attribute.getValue());
        }
        return out.toString();
    }

    private static void appendValue(StringBuilder out, String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c < 0x7f;
        }
        // Quoted: '"' and '\\' escaped, and every control, line separator and bidirectional formatting character
        // written as \\uXXXX (LogSafe), so that one event is one line however its names were made.
        if (plain) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (LogSafe.unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
