package io.mpsecrets.testkit.gcp;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What Google's REST APIs share, as the mocks speak it: proto3's JSON mapping (lowerCamel names, {@code bytes} as
 * base64, 64-bit integers as strings, timestamps in RFC 3339, enums by name or, when the client asks with
 * {@code $alt=json;enum-encoding=int} as Google's Java clients do, by number), errors as google.rpc.Status ({@code
 * {"error": {"code": 404, "message": "...", "status": "NOT_FOUND"}}}, AIP-193), and page tokens.
 */
final class GoogleRest {

    /** Larger request bodies are refused; Secret Manager payloads and Cloud KMS plaintexts are at most 64 KiB. */
    static final int MAX_BODY = 1024 * 1024;

    private GoogleRest() {}

    /** A google.rpc error: HTTP status, canonical status name, message. */
    static final class GoogleError extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;
        final String status;

        GoogleError(int code, String status, String message) {
            super(message, null, false, false);
            this.code = code;
            this.status = status;
        }
    }

    static GoogleError invalid(String message) {
        return new GoogleError(400, "INVALID_ARGUMENT", message);
    }

    static GoogleError precondition(String message) {
        return new GoogleError(400, "FAILED_PRECONDITION", message);
    }

    static GoogleError notFound(String message) {
        return new GoogleError(404, "NOT_FOUND", message);
    }

    static GoogleError exists(String message) {
        return new GoogleError(409, "ALREADY_EXISTS", message);
    }

    static GoogleError denied(String permission, String resource) {
        return new GoogleError(
                403,
                "PERMISSION_DENIED",
                "Permission '" + permission + "' denied for resource '" + resource + "' (or it may not exist).");
    }

    static GoogleError unauthenticated() {
        return new GoogleError(
                401,
                "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other"
                        + " valid authentication credential.");
    }

    static GoogleError throttled(String quota) {
        return new GoogleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric '" + quota + "'.");
    }

    static GoogleError unavailable() {
        return new GoogleError(503, "UNAVAILABLE", "The service is currently unavailable.");
    }

    /** One call to a mock API: who asked, what, and how the answer is to write enums. */
    record Call(
            String method, String path, Map<String, String> query, JsonObject body, String principal, boolean ints) {

        /** A query parameter that must be a whole number from 0 to {@code max}; {@code otherwise} when absent. */
        int intParameter(String name, int otherwise, int max) throws GoogleError {
            String text = query.get(name);
            if (text == null || text.isEmpty()) {
                return otherwise;
            }
            try {
                int value = Integer.parseInt(text);
                if (value >= 0 && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw invalid("Invalid value for " + name + ": " + text);
        }

        /** The enum value {@code name} (number {@code number}) as the client asked enums to be written. */
        JsonValue enumValue(String name, int number) {
            return ints ? Json.createValue(number) : Json.createValue(name);
        }
    }

    /** The decoded query parameters (the last of a repeated name). */
    static Map<String, String> query(URI uri) {
        return pairs(uri.getRawQuery());
    }

    private static Map<String, String> pairs(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            out.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Whether the client asked for enums as numbers ({@code $alt=json;enum-encoding=int}). */
    static boolean enumsAsInts(Map<String, String> query) {
        return query.getOrDefault("$alt", "").contains("enum-encoding=int");
    }

    /** The request body, at most {@link #MAX_BODY} bytes. */
    static byte[] body(HttpExchange exchange) throws IOException, GoogleError {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new GoogleError(413, "INVALID_ARGUMENT", "Request payload size exceeds the limit.");
            }
            return body;
        }
    }

    /** A JSON body as an object; an empty body is an empty object. */
    static JsonObject json(byte[] body) throws GoogleError {
        if (body.length == 0) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException | NumberFormatException | ArithmeticException e) {
            throw invalid("Invalid JSON payload received.");
        }
    }

    /** A form body ({@code application/x-www-form-urlencoded}), decoded. */
    static Map<String, String> form(byte[] body) {
        // Not through URI: "x:?a=b" is an opaque URI, which has no query.
        return pairs(new String(body, StandardCharsets.US_ASCII).trim());
    }

    static Optional<String> string(JsonObject json, String name) throws GoogleError {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString text) {
            return Optional.of(text.getString());
        }
        throw invalid("Invalid value at '" + name + "': expected a string.");
    }

    /** A {@code bytes} field, base64 (standard or URL-safe). */
    static Optional<byte[]> bytes(JsonObject json, String name) throws GoogleError {
        Optional<String> text = string(json, name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            String value = text.get();
            return Optional.of(
                    value.indexOf('-') >= 0 || value.indexOf('_') >= 0
                            ? Base64.getUrlDecoder().decode(value)
                            : Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid value at '" + name + "' (TYPE_BYTES): invalid base64.");
        }
    }

    /** An int64 field, written as a string or a number. */
    static Optional<Long> int64(JsonObject json, String name) throws GoogleError {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        try {
            if (value instanceof JsonNumber number) {
                return Optional.of(number.longValueExact());
            }
            if (value instanceof JsonString text) {
                return Optional.of(Long.parseLong(text.getString()));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // below
        }
        throw invalid("Invalid value at '" + name + "' (TYPE_INT64).");
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String time(Instant instant) {
        return instant.toString();
    }

    static long crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    /** A page token: the index of the page's first item, opaque to clients. */
    static String pageToken(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o" + offset).getBytes(StandardCharsets.UTF_8));
    }

    static int offset(String pageToken) throws GoogleError {
        if (pageToken == null || pageToken.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            if (text.startsWith("o")) {
                return Integer.parseInt(text.substring(1));
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw invalid("Invalid page token.");
    }

    static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sendError(HttpExchange exchange, GoogleError error) throws IOException {
        send(
                exchange,
                error.code,
                Json.createObjectBuilder()
                        .add(
                                "error",
                                Json.createObjectBuilder()
                                        .add("code", error.code)
                                        .add("message", String.valueOf(error.getMessage()))
                                        .add("status", error.status))
                        .build());
    }
}
