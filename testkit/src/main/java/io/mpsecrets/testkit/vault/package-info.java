/**
 * The mock HashiCorp Vault ({@link MockVault}, a test's {@code server.vault()}), as {@code vault server -dev} gives it:
 * KV version 1 and 2, Transit, the database engine with leases over a test's own JDBC database ({@link MockDatabase}),
 * the mount table, ACL policies applied as Vault applies them, tokens and the logins of every method mp-secrets uses
 * (tokens, AppRole, Kubernetes, JWT/OIDC, userpass, LDAP, TLS certificates, AWS IAM), response wrapping, namespaces, an
 * agent mode, and optionally its state kept in a directory. {@link JwtIssuer} signs the JWTs a test logs in with.
 *
 * <p>API: {@link MockVault}, {@link MockDatabase} and {@link JwtIssuer}, the package's only public classes, for
 * applications' tests (docs/testing.md, docs/vault.md); they keep the API promise of docs/architecture.md ("What is
 * API"); what the mocks answer follows the real services and may grow in any release (more operations, errors closer
 * to the real ones).
 */
package io.mpsecrets.testkit.vault;
