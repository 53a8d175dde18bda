package io.mpsecrets.testkit.mock;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which principals may call which operations on one resource (a KMS key, a secret), like a key policy. A principal
 * is the access key id of the caller's SigV4 credential. No statements: everyone may do everything, as with a
 * resource nobody restricted.
 *
 * <p>JSON form: {@code [{"principal": "AKIDWORKER1" or "*", "operations": ["Decrypt"] or ["*"],
 * "encryptionContext": {"mpsecrets:app": "orders"}}]}; the context condition is optional and must match exactly.
 */
public final class Policy {

    /** One grant: a principal, operations, and optionally the encryption context the request must carry. */
    public record Statement(String principal, Set<String> operations, Map<String, String> encryptionContext) {
        public Statement {
            operations = Set.copyOf(operations);
            encryptionContext = encryptionContext == null ? null : Map.copyOf(encryptionContext);
        }

        boolean allows(String caller, String operation, Map<String, String> context) {
            return (principal.equals("*") || principal.equals(caller))
                    && (operations.contains("*") || operations.contains(operation))
                    && (encryptionContext == null || encryptionContext.equals(context));
        }
    }

    private final List<Statement> statements;

    private Policy(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    public static final Policy OPEN = new Policy(List.of());

    public static Policy of(Statement... statements) {
        return new Policy(List.of(statements));
    }

    /** Allows {@code principal} the operations (any context). */
    public static Statement allow(String principal, String... operations) {
        return new Statement(principal, Set.of(operations), null);
    }

    /** Allows {@code principal} the operations only with exactly this encryption context. */
    public static Statement allowWithContext(String principal, Map<String, String> context, String... operations) {
        return new Statement(principal, Set.of(operations), context);
    }

    public boolean allows(String principal, String operation, Map<String, String> context) {
        return statements.isEmpty() || statements.stream().anyMatch(s -> s.allows(principal, operation, context));
    }

    public List<Statement> statements() {
        return statements;
    }

    public static Policy fromJson(JsonArray array) {
        List<Statement> statements = new ArrayList<>();
        for (JsonValue value : array) {
            JsonObject statement = value.asJsonObject();
            List<String> operations = new ArrayList<>();
            statement.getJsonArray("operations").forEach(op -> operations.add(((JsonString) op).getString()));
            Map<String, String> context = null;
            if (statement.containsKey("encryptionContext")) {
                context = new LinkedHashMap<>();
                for (Map.Entry<String, JsonValue> e :
                        statement.getJsonObject("encryptionContext").entrySet()) {
                    context.put(e.getKey(), ((JsonString) e.getValue()).getString());
                }
            }
            statements.add(new Statement(statement.getString("principal"), Set.copyOf(operations), context));
        }
        return new Policy(statements);
    }
}
