/**
 * Google Cloud for mp-secrets, over the JDK's HTTP client and JSON-P: the store {@code gcp}
 * ({@link SecretManagerStore}: Secret Manager secrets by short or full name, versions and aliases, regional secrets,
 * payloads checked against their CRC32C, rotation polled from version metadata, secrets listed by label) and the KMS
 * {@code gcp-kms} ({@link CloudKms}: data keys wrapped by Cloud KMS {@code encrypt}, the encryption context sent as
 * additional authenticated data, Google's CRC32C integrity fields checked), each with Application Default Credentials
 * ({@link GoogleCredentials}: a key file, gcloud's credentials, workload identity federation, the metadata server,
 * impersonation) and Google's errors mapped in one place ({@link GcpFailures}), configured from
 * {@code mpsecrets.gcp.*} and Google's environment variables (docs/gcp.md). Configuration names the backends, never
 * these classes.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.gcp;
