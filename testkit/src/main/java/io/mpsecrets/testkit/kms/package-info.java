/**
 * The mock AWS KMS ({@link MockKms}, a test's {@code server.kms()}): symmetric keys with aliases, data keys and
 * encryption context, rotation of key material, enable and disable, and key policies per principal, as far as
 * mp-secrets and its tests use KMS; its ciphertexts reveal nothing and it logs no plaintext.
 *
 * <p>API: applications' tests use it (docs/testing.md, docs/aws-kms.md); it keeps the API promise of
 * docs/architecture.md ("What is API"); what it answers follows the real service and may grow in any release (more
 * operations, errors closer to the real ones).
 */
package io.mpsecrets.testkit.kms;
