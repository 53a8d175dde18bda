package io.mpsecrets.gcp;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.JsonLimits;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Typed reads of Google's JSON answers (proto3's JSON mapping): a field of another type than Google documents is an
 * {@link InvalidSecretValueException} naming the field, never a ClassCastException. Absent and {@code null} fields are
 * empty. proto3 writes {@code bytes} as base64 (standard or URL-safe, both accepted) and 64-bit integers as strings;
 * a CRC32C is such an integer, from 0 to 2<sup>32</sup>-1.
 */
final class GcpJson {

    private static final long MAX_CRC32C = 0xFFFFFFFFL;

    private GcpJson() {}

    /**
     * A body as a JSON object (empty for an empty body); zeroes the bytes. The parser's message may quote the body, so
     * it is not kept.
     *
     * @param who what answered, as it is named in the failure ({@code Secret Manager})
     */
    static JsonObject parse(byte[] body, String who, SecretRef ref) {
        try {
            if (body.length == 0) {
                return JsonValue.EMPTY_JSON_OBJECT;
            }
            if (!JsonLimits.shallow(body)) {
                throw new InvalidSecretValueException(
                        ref, who + "'s answer nests deeper than " + JsonLimits.MAX_DEPTH + " levels");
            }
            try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
                return reader.readObject();
            } catch (JsonException | IllegalStateException e) {
                throw new InvalidSecretValueException(ref, who + " answered with something other than a JSON object");
            } catch (NumberFormatException | ArithmeticException e) {
                throw new InvalidSecretValueException(ref, who + " answered with a number JSON cannot hold");
            }
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    static Optional<String> string(JsonObject json, String name, String who, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString text) {
            return Optional.of(text.getString());
        }
        throw odd(who, name, ref);
    }

    /** A string that must be there and not be empty. */
    static String required(JsonObject json, String name, String who, SecretRef ref) {
        return string(json, name, who, ref)
                .filter(text -> !text.isEmpty())
                .orElseThrow(() -> new InvalidSecretValueException(ref, who + " answered without '" + name + "'"));
    }

    static Optional<JsonObject> object(JsonObject json, String name, String who, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonObject object) {
            return Optional.of(object);
        }
        throw odd(who, name, ref);
    }

    /** A boolean; absent is false (proto3 leaves out a field at its default). */
    static boolean bool(JsonObject json, String name, String who, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL || value == JsonValue.FALSE) {
            return false;
        }
        if (value == JsonValue.TRUE) {
            return true;
        }
        throw odd(who, name, ref);
    }

    /**
     * A whole number from {@code min} to {@code max}, written as a JSON number or, as proto3 writes 64-bit integers,
     * a string of digits.
     */
    static Optional<Long> integer(JsonObject json, String name, long min, long max, String who, SecretRef ref) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        BigDecimal decimal;
        try {
            if (value instanceof JsonNumber number) {
                decimal = number.bigDecimalValue();
            } else if (value instanceof JsonString text
                    && text.getString().length() <= 20
                    && text.getString().matches("-?[0-9]+")) {
                decimal = new BigDecimal(text.getString());
            } else {
                throw odd(who, name, ref);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw odd(who, name, ref);
        }
        if (decimal.stripTrailingZeros().scale() <= 0
                && decimal.compareTo(BigDecimal.valueOf(min)) >= 0
                && decimal.compareTo(BigDecimal.valueOf(max)) <= 0) {
            return Optional.of(decimal.longValue());
        }
        throw odd(who, name, ref);
    }

    /** A CRC32C field (an int64 string from 0 to 2^32-1). */
    static Optional<Long> crc32c(JsonObject json, String name, String who, SecretRef ref) {
        return integer(json, name, 0, MAX_CRC32C, who, ref);
    }

    /** A {@code bytes} field: base64, standard or URL-safe, with or without padding. */
    static Optional<byte[]> bytes(JsonObject json, String name, String who, SecretRef ref) {
        return string(json, name, who, ref).map(text -> {
            try {
                return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                        ? Base64.getUrlDecoder().decode(text)
                        : Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidSecretValueException(ref, who + " answered with a '" + name + "' that is not base64");
            }
        });
    }

    /** The CRC32C (Castagnoli) checksum Google's integrity fields carry. */
    static long crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    private static InvalidSecretValueException odd(String who, String field, SecretRef ref) {
        return new InvalidSecretValueException(
                ref, who + "'s answer has a '" + field + "' of another type than Google documents");
    }
}
