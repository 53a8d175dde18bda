/**
 * Azure Key Vault for mp-secrets, over the JDK's HTTP client and JSON-P: the store {@code azure}
 * ({@link KeyVaultSecretStore}: Key Vault secrets by name, secret identifier URL or App Service reference, listed as a
 * whole vault, rotation polled) and the KMS {@code azure-keyvault} ({@link KeyVaultKms}: data keys wrapped by Key Vault
 * or Managed HSM keys), each through a client that answers Key Vault's 401 challenge with an Entra ID token got the
 * Azure way (client secret, certificate, workload identity, managed identity) and kept until two thirds of its life,
 * configured from {@code mpsecrets.azure.*} and the {@code AZURE_*} environment variables (docs/azure.md).
 * Configuration names the backends, never these classes.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.azure;
