package io.mpsecrets.azure;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One HTTP exchange with Key Vault, Entra ID or an identity endpoint, bounded: the whole exchange, body included,
 * within {@code mpsecrets.azure.timeout} (the JDK client's own request time-out stops at the headers, and a body
 * trickled a byte at a time would hold the thread), the body within {@code max-response-size} (more is abandoned, never
 * read whole), no redirect followed (the JDK client's default: a token goes to the host it was asked for, nowhere
 * else). TLS trusts {@code ca-bundle} when one is set. Not retried here: {@link KeyVaultClient} and
 * {@link EntraToken} decide that. Bodies may hold secrets and tokens: they are parsed, never logged.
 */
final class AzureHttp {

    private static final String MAX_RESPONSE_SIZE = AzureSettings.PREFIX + "max-response-size";

    /** One exchange's status, headers and body. The body is zeroed by {@link #clear()} once read. */
    record Answer(int status, HttpHeaders headers, byte[] body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        void clear() {
            Arrays.fill(body, (byte) 0);
        }

        /**
         * How long the service asks to be left alone, in milliseconds: Azure's {@code retry-after-ms} or
         * {@code x-ms-retry-after-ms}, else {@code Retry-After} in seconds; empty when it does not say (or says it as
         * a date, which Key Vault does not).
         */
        OptionalLong retryAfterMillis() {
            for (String name : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
                OptionalLong millis = number(headers.firstValue(name).orElse(null));
                if (millis.isPresent()) {
                    return millis;
                }
            }
            OptionalLong seconds = number(headers.firstValue("Retry-After").orElse(null));
            return seconds.isPresent() && seconds.getAsLong() < Long.MAX_VALUE / 1000
                    ? OptionalLong.of(seconds.getAsLong() * 1000)
                    : OptionalLong.empty();
        }

        private static OptionalLong number(String text) {
            if (text == null
                    || text.isBlank()
                    || text.trim().length() > 12
                    || !text.trim().chars().allMatch(Character::isDigit)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(text.trim()));
        }
    }

    private final AzureSettings settings;
    private final HttpClient http;

    AzureHttp(AzureSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout());
        settings.caBundle().ifPresent(bundle -> builder.sslContext(trusting(bundle)));
        this.http = builder.build();
    }

    AzureSettings settings() {
        return settings;
    }

    /** Sends {@code request} to {@code service} and reads its answer within the bounds. */
    Answer exchange(HttpRequest request, SecretRef ref, String service) {
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request, BoundedReads.httpBody(settings.maxResponseSize(), MAX_RESPONSE_SIZE));
        try {
            HttpResponse<byte[]> response = exchange.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new ServiceUnavailableException(
                    FailureReason.TIMEOUT, ref, service + " did not answer within " + settings.timeout(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            BoundedReads.TooLarge tooLarge = cause instanceof BoundedReads.TooLarge large
                    ? large
                    : cause != null && cause.getCause() instanceof BoundedReads.TooLarge large ? large : null;
            if (tooLarge != null) {
                throw new InvalidSecretValueException(ref, service + "'s answer is " + tooLarge.getMessage());
            }
            if (cause instanceof HttpTimeoutException) {
                throw new ServiceUnavailableException(
                        FailureReason.TIMEOUT, ref, service + " did not answer within " + settings.timeout(), null);
            }
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE,
                    ref,
                    "cannot reach " + service + " at " + request.uri().getScheme() + "://"
                            + request.uri().getRawAuthority() + " (" + types(cause) + ")",
                    null);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, "interrupted", null);
        }
    }

    /** The simple names of an exception and its causes, e.g. {@code ConnectException < ClosedChannelException}. */
    private static String types(Throwable e) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 4; t = t.getCause(), depth++) {
            out.append(depth == 0 ? "" : " < ").append(t.getClass().getSimpleName());
        }
        return out.length() == 0 ? "?" : out.toString();
    }

    private static SSLContext trusting(Path bundle) {
        try (InputStream in = Files.newInputStream(bundle)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new ConfigurationException(
                        AzureSettings.PREFIX + "ca-bundle " + bundle + " holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(AzureSettings.PREFIX + "ca-bundle: cannot load " + bundle + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
