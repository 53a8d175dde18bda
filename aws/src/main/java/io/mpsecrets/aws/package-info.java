/**
 * What mp-secrets' AWS backends share: how to reach a service ({@link AwsClientSettings}, from
 * {@code mpsecrets.kms.aws.*}, {@code mpsecrets.aws.*} or {@code mpsecrets.ssm.*}), AWS SDK v2 clients configured one
 * way with every answer bounded ({@link AwsClients}), and AWS failures turned into typed mp-secrets failures
 * ({@link AwsFailures}); and {@link AwsSdkRequestSigner}, the SDK's SigV4 signing for backends that prove the
 * application's AWS identity to another service (Vault's {@code aws} login). The backends are in the subpackages,
 * each found by its name through {@code META-INF/services}; configuration names them, never these classes.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.aws;
