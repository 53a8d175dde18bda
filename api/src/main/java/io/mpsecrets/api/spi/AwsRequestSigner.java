package io.mpsecrets.api.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Signs an HTTP request with the application's AWS identity (SigV4, the credentials of the AWS SDK's default chain:
 * environment, profile, web identity, container and instance roles), for a backend that proves that identity to
 * another service instead of calling AWS: Vault's {@code aws} login sends a signed {@code sts:GetCallerIdentity}, which
 * Vault forwards to STS. {@code mpsecrets-aws} provides one (the SDK signs; nothing is signed by hand), registered in
 * {@code META-INF/services/io.mpsecrets.api.spi.AwsRequestSigner} and found with {@link java.util.ServiceLoader}, as
 * the factories are, so that a backend that needs one does not depend on the AWS SDK: without {@code mpsecrets-aws}
 * there is none, and the backend says so.
 *
 * <p>Implementations are thread-safe and have a public no-argument constructor (for {@code ServiceLoader}); they
 * resolve credentials at each signing, so that refreshed role credentials are used. A signed request carries the
 * credentials' proof (and a session token for temporary credentials), never a secret key.
 */
public interface AwsRequestSigner {

    /**
     * A request to sign. Copies are kept and handed out, so that neither side changes the other's.
     *
     * @param method the HTTP method, e.g. {@code POST}
     * @param uri the whole URL the request goes to, e.g. {@code https://sts.amazonaws.com/}
     * @param headers the headers to sign with it (e.g. {@code Content-Type}, {@code X-Vault-AWS-IAM-Server-ID}), by
     *     name
     * @param body the request's body, signed by its hash
     */
    record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body) {

        /**
         * Copies {@code headers} and {@code body}.
         *
         * @param method the HTTP method
         * @param uri the URL
         * @param headers the headers to sign
         * @param body the body
         */
        public Request {
            headers = headers.entrySet().stream()
                    .collect(java.util.stream.Collectors.toUnmodifiableMap(
                            Map.Entry::getKey, header -> List.copyOf(header.getValue())));
            body = body.clone();
        }

        /**
         * The body.
         *
         * @return a copy of the body
         */
        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /**
     * Signs {@code request} for {@code service} in {@code region}.
     *
     * @param request what to sign
     * @param region the region to sign for, e.g. {@code us-east-1}
     * @param service the signing name of the service, e.g. {@code sts}
     * @return the request's headers with the signature's added ({@code Authorization}, {@code X-Amz-Date},
     *     {@code Host}, {@code X-Amz-Security-Token} for temporary credentials), to send as they are
     * @throws io.mpsecrets.api.exception.ServiceUnavailableException when there are no credentials to sign with (the
     *     chain may answer later, as an instance's metadata service does), its message naming no credential
     */
    Map<String, List<String>> sign(Request request, String region, String service);
}
