package io.mpsecrets.vault;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.ContentVersion;
import io.mpsecrets.api.backend.JsonLimits;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Typed reads of Vault's answers: a field of another type than Vault documents ({@code "ttl": "abc"},
 * {@code "data": "x"}) is an {@link InvalidSecretValueException} naming the field, never a ClassCastException.
 * Absent and {@code null} fields are empty. A read's {@code data} object, the secret itself, becomes a
 * {@link SecretValue} here, where the KV store and the leases both take it from.
 */
final class VaultJson {

    private static final BigDecimal TEN_YEARS_SECONDS = BigDecimal.valueOf(10L * 366 * 24 * 3600);

    private VaultJson() {}

    /**
     * An answer's body as a JSON object (empty for an empty body); zeroes the bytes. The parser's message may quote
     * the body, so it is not kept.
     *
     * @throws InvalidSecretValueException when the body is not a JSON object, or nests too deep
     */
    static JsonObject parse(byte[] body, SecretRef ref) {
        try {
            if (body.length == 0) {
                return JsonValue.EMPTY_JSON_OBJECT;
            }
            if (!JsonLimits.shallow(body)) {
                throw new InvalidSecretValueException(
                        ref, "Vault's answer nests deeper than " + JsonLimits.MAX_DEPTH + " levels");
            }
            try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
                return reader.readObject();
            } catch (JsonException | IllegalStateException e) {
                throw new InvalidSecretValueException(ref, "Vault answered with something other than a JSON object");
            } catch (NumberFormatException | ArithmeticException e) {
                // Found by fuzzing: a number whose exponent is beyond an int's range fails inside the parser.
                throw new InvalidSecretValueException(ref, "Vault answered with a number JSON cannot hold");
            }
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    /** Vault's {@code errors} strings of an error answer, one line, capped, escaped; empty when there are none. */
    static String errors(byte[] body) {
        if (!JsonLimits.shallow(body)) {
            return "";
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            StringBuilder out = new StringBuilder();
            if (reader.readObject().get("errors") instanceof JsonArray errors) {
                for (JsonValue error : errors) {
                    if (error instanceof JsonString text) {
                        out.append(out.length() == 0 ? "" : "; ")
                                .append(text.getString().replaceAll("\\s+", " ").trim());
                    }
                }
            }
            return LogSafe.escape(out.length() > 200 ? out.substring(0, 200) + "..." : out.toString());
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * The {@code data} object of an answer to a read, which every read has.
     *
     * @throws InvalidSecretValueException when there is none, or it is not an object
     */
    static JsonObject data(JsonObject answer, SecretRef ref) {
        if (answer.get("data") instanceof JsonObject data) {
            return data;
        }
        throw new InvalidSecretValueException(ref, "Vault's answer has no data object");
    }

    /**
     * The value in an answer whose data object is the secret (a KV version 1 read, a leased read such as
     * {@code database/creds/<role>}): the data object, versioned by a keyed hash of the content.
     */
    static SecretValue dataValue(JsonObject answer, SecretRef ref) {
        return value(data(answer, ref), null, null);
    }

    /** A data object as a secret value: its JSON text, versioned by {@code version}, else a keyed hash of the text. */
    static SecretValue value(JsonObject data, String version, Instant created) {
        byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
        try {
            return SecretValue.of(bytes, version == null ? ContentVersion.of(bytes) : version, created);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

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
            BigDecimal decimal;
            try {
                decimal = number.bigDecimalValue();
            } catch (NumberFormatException | ArithmeticException e) {
                // JSON-P parses numbers when asked: an exponent beyond an int's range (1e99999999999) fails here.
                throw odd(ref, name);
            }
            if (decimal.signum() >= 0
                    && decimal.compareTo(TEN_YEARS_SECONDS) <= 0
                    && decimal.stripTrailingZeros().scale() <= 0) {
                return Optional.of(decimal.longValue());
            }
        }
        throw odd(ref, name);
    }

    /** A time in whole seconds since 1970, up to the year 9999 (a PKI certificate's {@code expiration}). */
    static Optional<Instant> epochSeconds(JsonObject json, String name, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonNumber number) {
            try {
                BigDecimal decimal = number.bigDecimalValue();
                if (decimal.signum() > 0
                        && decimal.compareTo(BigDecimal.valueOf(253402300799L)) <= 0
                        && decimal.stripTrailingZeros().scale() <= 0) {
                    return Optional.of(Instant.ofEpochSecond(decimal.longValue()));
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // below
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
