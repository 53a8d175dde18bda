/**
 * The mock Google Cloud ({@link MockGoogleCloud}, a test's {@code server.gcp()}): Secret Manager
 * ({@link MockSecretManager}: secrets global and regional, versions with their states, aliases, labels, paged listing,
 * CRC32C-checked payloads), Cloud KMS ({@link MockCloudKms}: symmetric keys, versions and rotation, encrypt and decrypt
 * with additional authenticated data and Google's CRC32C integrity fields) and the issuers of the tokens Application
 * Default Credentials use ({@link MockGoogleAuth}: service account keys, user credentials, workload identity
 * federation, impersonation, the metadata server), with policies per principal so a test can deny.
 *
 * <p>API: {@link MockGoogleCloud}, {@link MockSecretManager}, {@link MockCloudKms} and {@link MockGoogleAuth}, the
 * package's public classes, for applications' tests (docs/testing.md, docs/gcp.md); they keep the API promise of
 * docs/architecture.md ("What is API"); what the mocks answer follows the real services and may grow in any release
 * (more operations, errors closer to the real ones).
 */
package io.mpsecrets.testkit.gcp;
