/**
 * The mock AWS Systems Manager Parameter Store ({@link MockSsm}, a test's {@code server.ssm()}): parameters with
 * versions and labels, {@code SecureString} values in the clear only with decryption, reads by name and by path with
 * paging, the service's errors, and policies per principal on name prefixes.
 *
 * <p>API: applications' tests use it (docs/testing.md, docs/ssm.md); it keeps the API promise of docs/architecture.md
 * ("What is API"); what it answers follows the real service and may grow in any release (more operations, errors closer
 * to the real ones).
 */
package io.mpsecrets.testkit.ssm;
