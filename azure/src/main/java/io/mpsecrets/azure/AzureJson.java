package io.mpsecrets.azure;

import io.mpsecrets.api.LogSafe;
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
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reading what Key Vault and Entra ID answer: a JSON object checked for depth before it is parsed, members of the
 * expected types or a typed failure, and their error bodies ({@code {"error":{"code":..,"message":..,
 * "innererror":{"code":..}}}} from Key Vault, {@code {"error":..,"error_description":..}} from Entra ID and the
 * identity endpoints) as short, escaped text. A failure names what was wrong, never what the answer held.
 */
final class AzureJson {

    private AzureJson() {}

    /** {@code body} as a JSON object; anything else is an {@link InvalidSecretValueException}. */
    static JsonObject parse(byte[] body, SecretRef ref, String service) {
        if (!JsonLimits.shallow(body)) {
            throw new InvalidSecretValueException(ref, service + " answered JSON nested too deeply");
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException | ClassCastException | NumberFormatException e) {
            throw new InvalidSecretValueException(ref, service + " answered something that is not a JSON object");
        }
    }

    /** {@code body} as a JSON object, or empty when it is none (an error page, nothing). */
    static Optional<JsonObject> tryParse(byte[] body) {
        if (body == null || body.length == 0 || !JsonLimits.shallow(body)) {
            return Optional.empty();
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            return Optional.of(reader.readObject());
        } catch (JsonException | IllegalStateException | ClassCastException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<String> string(JsonObject object, String member, SecretRef ref, String service) {
        JsonValue value = object.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString text) {
            return Optional.of(text.getString());
        }
        throw new InvalidSecretValueException(ref, service + " answered '" + member + "' that is not a string");
    }

    static String requiredString(JsonObject object, String member, SecretRef ref, String service) {
        return string(object, member, ref, service)
                .filter(text -> !text.isEmpty())
                .orElseThrow(
                        () -> new InvalidSecretValueException(ref, service + " answered without '" + member + "'"));
    }

    static Optional<JsonObject> object(JsonObject object, String member, SecretRef ref, String service) {
        JsonValue value = object.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonObject inner) {
            return Optional.of(inner);
        }
        throw new InvalidSecretValueException(ref, service + " answered '" + member + "' that is not an object");
    }

    /**
     * A number of seconds: a JSON number, or a string of digits (the identity endpoints answer {@code "3599"});
     * empty when absent.
     */
    static Optional<Long> seconds(JsonObject object, String member, SecretRef ref, String service) {
        JsonValue value = object.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        try {
            if (value instanceof JsonNumber number) {
                return Optional.of(number.longValueExact());
            }
            if (value instanceof JsonString text
                    && !text.getString().isEmpty()
                    && text.getString().length() < 19
                    && text.getString().chars().allMatch(Character::isDigit)) {
                return Optional.of(Long.parseLong(text.getString()));
            }
        } catch (ArithmeticException e) {
            // reported below
        }
        throw new InvalidSecretValueException(ref, service + " answered '" + member + "' that is not a number");
    }

    /** Key Vault's attributes: {@code enabled}, and the Unix times {@code created}, {@code nbf} and {@code exp}. */
    record Attributes(boolean enabled, Instant created, Instant notBefore, Instant expires) {

        static Attributes of(JsonObject bundle, SecretRef ref) {
            JsonObject attributes = object(bundle, "attributes", ref, "Key Vault")
                    .orElseThrow(() -> new InvalidSecretValueException(ref, "Key Vault answered without attributes"));
            JsonValue enabled = attributes.get("enabled");
            if (enabled != null && enabled != JsonValue.TRUE && enabled != JsonValue.FALSE) {
                throw new InvalidSecretValueException(ref, "Key Vault answered 'enabled' that is not true or false");
            }
            // Absent means enabled: Key Vault leaves out what was never set.
            return new Attributes(
                    enabled != JsonValue.FALSE,
                    instant(attributes, "created", ref),
                    instant(attributes, "nbf", ref),
                    instant(attributes, "exp", ref));
        }

        /** A Unix time; one beyond what an {@link Instant} holds is a hostile answer's, typed like any other. */
        private static Instant instant(JsonObject attributes, String member, SecretRef ref) {
            Long seconds = seconds(attributes, member, ref, "Key Vault").orElse(null);
            if (seconds == null) {
                return null;
            }
            try {
                return Instant.ofEpochSecond(seconds);
            } catch (DateTimeException e) {
                throw new InvalidSecretValueException(
                        ref, "Key Vault answered '" + member + "' that is not a time (" + seconds + " s)");
            }
        }

        /** Why the object may not be used at {@code now}, or empty when it may. */
        Optional<String> unusable(Instant now) {
            if (!enabled) {
                return Optional.of("disabled");
            }
            if (expires != null && !now.isBefore(expires)) {
                return Optional.of("expired at " + expires + " (exp)");
            }
            if (notBefore != null && now.isBefore(notBefore)) {
                return Optional.of("not valid before " + notBefore + " (nbf)");
            }
            return Optional.empty();
        }
    }

    /** Key Vault's error: code, inner code (the more precise, when there is one) and message. */
    record KeyVaultError(String code, String innerCode, String message) {

        static KeyVaultError of(byte[] body) {
            Optional<JsonObject> error = tryParse(body)
                    .map(o -> o.get("error"))
                    .filter(v -> v instanceof JsonObject)
                    .map(v -> (JsonObject) v);
            if (error.isEmpty()) {
                return new KeyVaultError("", "", "");
            }
            String inner =
                    error.get().get("innererror") instanceof JsonObject innerError ? text(innerError.get("code")) : "";
            return new KeyVaultError(
                    text(error.get().get("code")), inner, text(error.get().get("message")));
        }

        /** What a message may say of it: the codes and Key Vault's message, escaped and cut short. */
        String describe() {
            StringBuilder out = new StringBuilder();
            if (!code.isEmpty()) {
                out.append(safe(code));
            }
            if (!innerCode.isEmpty()) {
                out.append('/').append(safe(innerCode));
            }
            if (!message.isEmpty()) {
                out.append(out.length() == 0 ? "" : ": ").append(safe(message));
            }
            return out.toString();
        }
    }

    /** Entra ID's and the identity endpoints' error: {@code error} and the first line of its description. */
    static String entraError(byte[] body) {
        Optional<JsonObject> json = tryParse(body);
        if (json.isEmpty()) {
            return "";
        }
        String error = text(json.get().get("error"));
        if (json.get().get("error") instanceof JsonObject inner) {
            // App Service answers {"error":{"code":..,"message":..}}
            error = text(inner.get("code")) + " " + text(inner.get("message"));
        }
        String description = text(json.get().get("error_description"));
        int line = description.indexOf('\n');
        if (line > 0) {
            description = description.substring(0, line);
        }
        return safe((error + " " + description).trim());
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : "";
    }

    /** The service's text made safe for one log line: control characters out, length capped. */
    static String safe(String text) {
        String capped = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        return LogSafe.escape(capped.strip());
    }
}
