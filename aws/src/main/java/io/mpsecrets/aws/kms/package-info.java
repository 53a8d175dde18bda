/**
 * AWS KMS as the KMS {@code aws} ({@link AwsKms}, built by {@link AwsKmsFactory}): data keys generated and unwrapped
 * with the application's encryption context, so a key policy decides which worker may unwrap, and, with several
 * regions, the next region asked when one is unavailable (Multi-Region keys).
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.aws.kms;
