package io.mpsecrets.testkit.vault;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Vault's HTTP API as the {@code vault} CLI calls it (its Go client: {@code X-Vault-Request: true}, the token in
 * {@code X-Vault-Token}, JSON bodies), over the JDK's HTTP client.
 */
public final class VaultHttp {

    /** An answer: its status and its JSON body (null when it has none, as a 204). */
    public record Answer(int status, JsonObject json) {

        /** The first of Vault's {@code errors}. */
        public String error() {
            return json.getJsonArray("errors").getString(0);
        }

        public JsonObject data() {
            return json.getJsonObject("data");
        }
    }

    private final URI address;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public VaultHttp(URI address) {
        this.address = address;
    }

    public Answer call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                .header("X-Vault-Request", "true")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject json = response.body().isEmpty()
                ? null
                : Json.createReader(new StringReader(response.body())).readObject();
        return new Answer(response.statusCode(), json);
    }

    /** A JSON string literal of {@code text}. */
    public static String quoted(String text) {
        return Json.createValue(text).toString();
    }

    /** {@code vault secrets enable [-path=PATH] TYPE}: the body its Go client sends (api.MountInput). */
    public static String mountInput(String type) {
        return "{\"type\":\"" + type + "\",\"description\":\"\",\"config\":{\"options\":null,"
                + "\"default_lease_ttl\":\"0s\",\"max_lease_ttl\":\"0s\",\"force_no_cache\":false},"
                + "\"local\":false,\"seal_wrap\":false,\"external_entropy_access\":false,\"options\":null}";
    }

    /** {@code vault token create -policy=...}: the body its Go client sends (api.TokenCreateRequest). */
    public static String tokenCreateRequest(String... policies) {
        StringBuilder list = new StringBuilder();
        for (String policy : policies) {
            list.append(list.length() == 0 ? "" : ",").append(quoted(policy));
        }
        return "{\"policies\":[" + list + "],\"display_name\":\"\",\"num_uses\":0,\"type\":\"\",\"entity_alias\":\"\"}";
    }
}
