package io.mpsecrets.api.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Signs an HTTP request with the application's AWS identity (SigV4, the credentials of the AWS SDK's default chain:
 * environment, profile, web identity, container and instance roles), for a backend that proves that identity to
 * another service instead of calling AWS: Vault's {@code aws} login sends a signed {@code sts:GetCallerIdentity}, which
 * Vault forwards to STS. {@code mpsecrets-aws} provides one (the SDK signs; nothing is signed by hand), registered in
 * {@code META-INF/services/io.mpsecrets.api.spi.AwsRequestSigner} and found with {@link java.util.ServiceLoader}, so
 * that a backend that needs one does not depend on the AWS SDK: without {@code mpsecrets-aws} there is none, and the
 * backend says so. Implementations are thread-safe; a signed request carries credentials' proof, never a secret key.
 */
public interface AwsRequestSigner {

    /** A request to sign: its method, URL, headers (those to sign, e.g. {@code X-Vault-AWS-IAM-Server-ID}) and body. */
    record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
        public Request {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /**
     * The request's headers with the signature's added ({@code Authorization}, {@code X-Amz-Date}, {@code Host},
     * {@code X-Amz-Security-Token} for temporary credentials), signed for {@code service} in {@code region}.
     *
     * @throws io.mpsecrets.api.exception.SecretException when there are no credentials to sign with (a
     *     {@link io.mpsecrets.api.exception.ServiceUnavailableException}: the chain may answer later, as an instance's
     *     metadata service does), its message naming no credential
     */
    Map<String, List<String>> sign(Request request, String region, String service);
}
