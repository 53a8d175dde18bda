package io.mpsecrets.cache;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.JsonLimits;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.support.StrictUtf8;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a secret as text, or as a JSON object whose fields are values (AWS Secrets Manager key/value secrets, Vault
 * KV data). Errors name the secret and field, never content: a parser's message could quote it, so none is kept.
 */
public final class SecretFields {

    private SecretFields() {}

    /** The whole secret as UTF-8 text. */
    public static String text(SecretValue value, SecretRef ref) {
        byte[] bytes = value.bytes();
        try {
            return StrictUtf8.decode(
                    bytes, () -> new InvalidSecretValueException(ref, "the secret is binary, not UTF-8 text"));
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The fields of a JSON-object secret, as text (strings as they are, other JSON values in JSON form). */
    public static Optional<Map<String, String>> fields(SecretValue value) {
        byte[] bytes = value.bytes();
        try {
            int first = 0;
            while (first < bytes.length && Character.isWhitespace(bytes[first])) {
                first++;
            }
            if (first == bytes.length || bytes[first] != '{' || !JsonLimits.shallow(bytes)) {
                // Not a JSON object, or one nested deeper than any secret is: a value of its own, whole.
                return Optional.empty();
            }
            JsonObject object;
            try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
                object = reader.readObject();
            } catch (JsonException | IllegalStateException | NumberFormatException | ArithmeticException e) {
                // Not JSON, or a number JSON-P cannot hold (an exponent beyond an int's range, found by fuzzing).
                return Optional.empty();
            }
            Map<String, String> fields = new LinkedHashMap<>();
            object.forEach((name, json) -> fields.put(name, asText(json)));
            return Optional.of(Collections.unmodifiableMap(fields));
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    private static String asText(JsonValue json) {
        if (json instanceof JsonString string) {
            return string.getString();
        }
        return json.toString();
    }
}
