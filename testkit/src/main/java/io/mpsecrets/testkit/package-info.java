/**
 * The testkit's front door: one {@link MockServer} on a loopback port with mock AWS KMS, Secrets Manager, Parameter
 * Store and HashiCorp Vault speaking their real wire protocols; JUnit 5 extensions that start one per test class
 * ({@link WithMockServer}; {@link MockSecrets} with {@link MockKey} and {@link MockSecret}, which also point mp-secrets
 * at it); and {@link Main}, the same mocks as a server of their own ({@code java -jar mpsecrets-testkit.jar}).
 *
 * <p>API: {@link MockServer} and its builder, {@link MockSecrets}, {@link MockSecret}, {@link MockKey},
 * {@link WithMockServer}, {@link MockSecretsExtension}, {@link MockServerExtension}, {@link MockSettings},
 * {@link TestCertificates}, and the command line of {@link Main}, for applications' tests (docs/testing.md); they keep
 * the API promise of docs/architecture.md ("What is API"); what the mocks answer follows the real services and may grow
 * in any release (more operations, errors closer to the real ones).
 *
 * <p>{@code MockDeclarations} is public for the Arquillian extension only. Internal: not API; may change in any
 * release.
 */
package io.mpsecrets.testkit;
