package io.mpsecrets.testkit.aws;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading AWS JSON 1.1 request members, with the errors AWS gives for bad ones. */
public final class AwsJson {

    private AwsJson() {}

    public static String string(JsonObject request, String member) throws AwsError {
        JsonValue value = request.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonString string)) {
            throw AwsError.badRequest("SerializationException", member + " must be a string");
        }
        return string.getString();
    }

    public static String required(JsonObject request, String member) throws AwsError {
        String value = string(request, member);
        if (value == null || value.isEmpty()) {
            throw AwsError.validation("1 validation error detected: Value null at '" + lowerFirst(member)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    public static Integer integer(JsonObject request, String member) throws AwsError {
        JsonValue value = request.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonNumber number)) {
            throw AwsError.badRequest("SerializationException", member + " must be a number");
        }
        return number.intValue();
    }

    public static byte[] blob(JsonObject request, String member) throws AwsError {
        String text = string(request, member);
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw AwsError.badRequest("SerializationException", member + " is not base64");
        }
    }

    /** A list of strings; empty when the member is absent. */
    public static List<String> stringList(JsonObject request, String member) throws AwsError {
        JsonValue value = request.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw AwsError.badRequest("SerializationException", member + " is not a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString text)) {
                throw AwsError.badRequest("SerializationException", member + " holds something other than strings");
            }
            out.add(text.getString());
        }
        return out;
    }

    public static Map<String, String> stringMap(JsonObject request, String member) throws AwsError {
        Map<String, String> out = new LinkedHashMap<>();
        JsonValue value = request.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return out;
        }
        if (!(value instanceof JsonObject object)) {
            throw AwsError.badRequest("SerializationException", member + " must be a map");
        }
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            if (!(entry.getValue() instanceof JsonString string)) {
                throw AwsError.badRequest("SerializationException", member + " values must be strings");
            }
            out.put(entry.getKey(), string.getString());
        }
        return out;
    }

    /** AWS timestamps: epoch seconds, with milliseconds as the fraction. */
    public static BigDecimal timestamp(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String lowerFirst(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }
}
