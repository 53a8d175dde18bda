package io.mpsecrets.testkit.azure;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the mock: a status, a JSON body (or none) and extra headers; and Key Vault's error answers,
 * {@code {"error":{"code":..,"message":..,"innererror":{"code":..}}}}, as the service words them.
 */
record KeyVaultAnswer(int status, JsonObject body, Map<String, String> headers) {

    static KeyVaultAnswer ok(JsonObject body) {
        return new KeyVaultAnswer(200, body, Map.of());
    }

    static KeyVaultAnswer noContent() {
        return new KeyVaultAnswer(204, null, Map.of());
    }

    static KeyVaultAnswer error(int status, String code, String inner, String message) {
        JsonObjectBuilder error = Json.createObjectBuilder().add("code", code).add("message", message);
        if (inner != null) {
            error.add("innererror", Json.createObjectBuilder().add("code", inner));
        }
        return new KeyVaultAnswer(
                status, Json.createObjectBuilder().add("error", error).build(), Map.of());
    }

    KeyVaultAnswer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new KeyVaultAnswer(status, body, more);
    }

    static KeyVaultAnswer notFound(String what, String name) {
        return error(
                404,
                what + "NotFound",
                null,
                "A " + what.toLowerCase(java.util.Locale.ROOT) + " with (name/id) " + name
                        + " was not found in this key vault. If you recently deleted this "
                        + what.toLowerCase(java.util.Locale.ROOT)
                        + " you may be able to recover it using the correct recovery command.");
    }

    static KeyVaultAnswer badParameter(String message) {
        return error(400, "BadParameter", null, message);
    }

    static KeyVaultAnswer forbidden(String principal, String action, String resource) {
        return error(
                403,
                "Forbidden",
                "ForbiddenByRbac",
                "Caller is not authorized to perform action on resource.\r\nCaller: appid=" + principal
                        + "\r\nAction: 'Microsoft.KeyVault/vaults/" + action + "'\r\nResource: '" + resource
                        + "'\r\nAssignment: (not found)\r\n");
    }
}
