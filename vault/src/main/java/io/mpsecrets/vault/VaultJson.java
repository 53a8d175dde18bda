package io.mpsecrets.vault;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Typed reads of Vault's answers: a field of another type than Vault documents ({@code "ttl": "abc"},
 * {@code "data": "x"}) is an {@link InvalidSecretValueException} naming the field, never a ClassCastException.
 * Absent and {@code null} fields are empty.
 */
final class VaultJson {

    private static final BigDecimal TEN_YEARS_SECONDS = BigDecimal.valueOf(10L * 366 * 24 * 3600);

    private VaultJson() {}

    /** An object field; {@link JsonValue#EMPTY_JSON_OBJECT} when absent. */
    static JsonObject object(JsonObject json, String name, SecretRef ref) {
        return optionalObject(json, name, ref).orElse(JsonValue.EMPTY_JSON_OBJECT);
    }

    static Optional<JsonObject> optionalObject(JsonObject json, String name, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonObject object) {
            return Optional.of(object);
        }
        throw odd(ref, name);
    }

    /** A whole number of seconds from 0 to ten years; 0 when absent. */
    static long seconds(JsonObject json, String name, SecretRef ref) {
        return number(json, name, ref).orElse(0L);
    }

    /** A whole, non-negative number of at most ten years' seconds (versions, TTLs). */
    static Optional<Long> number(JsonObject json, String name, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonNumber number) {
            BigDecimal decimal = number.bigDecimalValue();
            if (decimal.signum() >= 0
                    && decimal.compareTo(TEN_YEARS_SECONDS) <= 0
                    && decimal.stripTrailingZeros().scale() <= 0) {
                return Optional.of(decimal.longValue());
            }
        }
        throw odd(ref, name);
    }

    static boolean bool(JsonObject json, String name, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return false;
        }
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return value == JsonValue.TRUE;
        }
        throw odd(ref, name);
    }

    static Optional<String> string(JsonObject json, String name, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString text) {
            return Optional.of(text.getString());
        }
        throw odd(ref, name);
    }

    private static InvalidSecretValueException odd(SecretRef ref, String field) {
        return new InvalidSecretValueException(
                ref, "Vault's answer has a '" + field + "' of another type than Vault documents");
    }
}
