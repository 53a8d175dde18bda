/**
 * AWS Systems Manager Parameter Store as the store {@code ssm} ({@link SsmParameterStore}, built by
 * {@link SsmParameterStoreFactory}): parameters read with decryption by name, version or label, and a path's parameters
 * served as a config source, listed within bounds.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.aws.ssm;
