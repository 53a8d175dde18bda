package io.mpsecrets.azure;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What Key Vault's first answer, a 401 with
 * {@code WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>",
 * resource="https://vault.azure.net"}, asks for: a token for that resource (as the scope
 * {@code <resource>/.default}; Managed HSM says {@code scope=} itself), from that tenant. This is how a client learns a
 * sovereign cloud's or a Managed HSM's audience without being told.
 *
 * @param resource the audience, e.g. {@code https://vault.azure.net}
 * @param tenant the tenant the authorization URL names, when it names one
 */
record Challenge(URI resource, Optional<String> tenant) {

    /** The challenge in a {@code WWW-Authenticate} header's value, or empty when it holds no Bearer challenge. */
    static Optional<Challenge> parse(String header) {
        if (header == null || header.length() > 4096) {
            return Optional.empty();
        }
        String text = header.trim();
        if (!text.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        Map<String, String> parameters = parameters(text.substring(7));
        String resource = parameters.get("resource");
        if (resource == null && parameters.containsKey("scope")) {
            String scope = parameters.get("scope");
            resource = scope.endsWith("/.default") ? scope.substring(0, scope.length() - "/.default".length()) : scope;
        }
        if (resource == null) {
            return Optional.empty();
        }
        URI audience;
        try {
            audience = URI.create(resource);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!"https".equals(audience.getScheme()) || audience.getHost() == null) {
            return Optional.empty();
        }
        String authorization = parameters.getOrDefault("authorization", parameters.get("authorization_uri"));
        Optional<String> tenant = Optional.empty();
        if (authorization != null) {
            String path = authorization.replaceFirst("^https://[^/]+", "");
            String[] segments = path.split("/");
            for (String segment : segments) {
                if (!segment.isEmpty()) {
                    tenant = Optional.of(segment);
                    break;
                }
            }
        }
        return Optional.of(new Challenge(audience, tenant.filter(Challenge::tenantLike)));
    }

    /** A tenant id or domain: letters, digits, dots and dashes, nothing that could change a URL's path. */
    private static boolean tenantLike(String text) {
        return text.length() <= 256 && text.matches("[A-Za-z0-9.-]+");
    }

    private static Map<String, String> parameters(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String name = text.substring(i, equals).trim().toLowerCase(Locale.ROOT);
            i = equals + 1;
            String value;
            if (i < text.length() && text.charAt(i) == '"') {
                int close = text.indexOf('"', i + 1);
                if (close < 0) {
                    break;
                }
                value = text.substring(i + 1, close);
                i = close + 1;
            } else {
                int comma = text.indexOf(',', i);
                int end = comma < 0 ? text.length() : comma;
                value = text.substring(i, end).trim();
                i = end;
            }
            out.putIfAbsent(name, value);
        }
        return out;
    }

    /** The OAuth scope for the resource: {@code https://vault.azure.net/.default}. */
    String scope() {
        String text = resource.toString();
        return (text.endsWith("/") ? text : text + "/") + ".default";
    }

    /** The resource as the identity endpoints take it, without a trailing slash. */
    String resourceText() {
        String text = resource.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * Whether the resource is a domain of {@code host} ({@code vault.azure.net} for {@code orders.vault.azure.net}), as
     * Azure's SDK checks before it sends a token: a vault may not send a client for a token meant for another service.
     */
    boolean resourceMatches(String host) {
        String domain = resource.getHost().toLowerCase(Locale.ROOT);
        String own = host.toLowerCase(Locale.ROOT);
        return own.equals(domain) || own.endsWith("." + domain);
    }
}
