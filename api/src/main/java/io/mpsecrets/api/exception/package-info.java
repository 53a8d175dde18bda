/**
 * The exceptions every mp-secrets failure is: {@link SecretException}, whose message names the secret and a
 * {@link io.mpsecrets.api.FailureReason} and never a value, and one subclass per thing a caller can act on (not found,
 * access denied, unavailable, a key disabled, a value that does not authenticate, ...).
 *
 * <p>API: applications catch these and backends throw them; they keep the API promise of docs/architecture.md ("What is
 * API"). A minor release may add a subclass; catching {@link SecretException} catches every failure.
 */
package io.mpsecrets.api.exception;
