/**
 * The mock Azure ({@link MockAzure}, a test's {@code server.azure()}): Key Vault's secrets and keys
 * ({@link MockKeyVault}) over HTTPS with a test CA, answering the 401 challenge as Key Vault does, Entra ID's token
 * endpoint (client secret, certificate, workload identity), IMDS and App Service's identity endpoint, with policies per
 * identity so that a test can deny; as far as mp-secrets and its tests use them, spoken well enough for Azure's own
 * Java clients. It logs no value, key or token.
 *
 * <p>API: applications' tests use it (docs/testing.md, docs/azure.md); it keeps the API promise of
 * docs/architecture.md ("What is API"); what it answers follows the real service and may grow in any release (more
 * operations, errors closer to the real ones).
 */
package io.mpsecrets.testkit.azure;
