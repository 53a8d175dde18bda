/**
 * The mock AWS Secrets Manager ({@link MockSecretsManager}, a test's {@code server.secretsManager()}): secrets with
 * versions and staging labels that move as AWS documents, single and batch reads, rotation's version stages, listing
 * and deletion, and policies per principal.
 *
 * <p>API: applications' tests use it (docs/testing.md); it keeps the API promise of docs/architecture.md ("What is
 * API"); what it answers follows the real service and may grow in any release (more operations, errors closer to the
 * real ones).
 */
package io.mpsecrets.testkit.secretsmanager;
