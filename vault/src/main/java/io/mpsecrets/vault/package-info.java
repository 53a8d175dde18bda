/**
 * HashiCorp Vault for mp-secrets, over the JDK's HTTP client: the store {@code vault} ({@link VaultSecretStore}: KV
 * version 1 and 2 mounts, and leased secrets such as the database engine's credentials, renewed and re-issued as their
 * leases require) and the KMS {@code vault-transit} ({@link VaultTransitKms}: Transit generates and unwraps the data
 * keys), each through a client that logs in (a token, AppRole, Kubernetes) and keeps its token alive, configured from
 * {@code mpsecrets.vault.*} and Vault's own environment variables (docs/vault.md). Configuration names the backends,
 * never these classes.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.vault;
