package org.example.kv;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.backend.ContentVersion;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code kv}: secrets over HTTP, GET {@code <address>/v1/secrets/<name>} with a bearer token. */
public final class KvStoreFactory implements SecretStoreFactory {
    public String name() { // mpsecrets.sources=kv, ${kv::name}, settings under mpsecrets.kv.
        return "kv";
    }

    public Set<SecretStore.Capability> capabilities() {
        return Set.of(SecretStore.Capability.BINARY);
    }

    public SecretStore create(BackendContext context) {
        Settings settings = context.settings(); // the kit: typed settings, the same errors as mp-secrets' own
        String p = context.prefix();
        URI address =
                settings.url(p + "address").orElseThrow(() -> new ConfigurationException(p + "address is not set"));
        String token = settings.required(p + "token", "it authenticates the application to the service");
        Duration timeout = settings.duration(p + "timeout", Duration.ofSeconds(5));
        long maxSize = settings.bytes(p + "max-size", 64 * 1024);
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        return new SecretStore() {
            public String name() {
                return "kv";
            }

            public SecretValue fetch(SecretId id) {
                SecretRef ref = SecretRef.secret(name(), id.toString());
                URI uri = address.resolve("/v1/secrets/" + URLEncoder.encode(id.path(), StandardCharsets.UTF_8));
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)
                        .build();
                CompletableFuture<HttpResponse<byte[]>> call =
                        http.sendAsync(request, BoundedReads.httpBody(maxSize, p + "max-size")); // never read whole
                try {
                    HttpResponse<byte[]> answer = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS); // body included
                    return switch (answer.statusCode()) {
                        case 200 -> SecretValue.of(answer.body(), ContentVersion.of(answer.body()), null);
                        case 404 -> throw new SecretNotFoundException(ref, "no such secret");
                        case 401, 403 -> throw new SecretAccessDeniedException(ref, "refused", null);
                        default ->
                            throw new ServiceUnavailableException(
                                    FailureReason.UNAVAILABLE, ref, "answered " + answer.statusCode(), null);
                    };
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof BoundedReads.TooLarge tooLarge) {
                        throw new InvalidSecretValueException(ref, "the answer is " + tooLarge.getMessage());
                    }
                    throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, "unreachable", null);
                } catch (TimeoutException e) {
                    call.cancel(true);
                    throw new ServiceUnavailableException(FailureReason.TIMEOUT, ref, "no answer in " + timeout, null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, "interrupted", null);
                }
            }
        };
    }
}
