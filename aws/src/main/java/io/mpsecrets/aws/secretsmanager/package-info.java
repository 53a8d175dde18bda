/**
 * AWS Secrets Manager as the store {@code aws} ({@link AwsSecretsManagerStore}, built by
 * {@link AwsSecretsManagerStoreFactory}): reads by staging label or version id, in batches for the secrets listed at
 * start-up, and rotation polled with {@code DescribeSecret}, which reads no value.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.aws.secretsmanager;
