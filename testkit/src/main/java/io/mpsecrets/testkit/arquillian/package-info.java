/**
 * The testkit for Arquillian: an extension, found through {@code META-INF/services}, that starts the mock services once
 * per test JVM, creates what a test class declares ({@code @MockKey}, {@code @MockSecret}) before its deployment, adds
 * the settings that point the deployment's mp-secrets at the mocks, injects {@code @ArquillianResource MockServer}, and
 * scans the server's logs for watched secrets after each class.
 *
 * <p>API: {@link MpSecretsArquillian} (the run's mock server, for a {@code @Deployment} method),
 * {@code @ArquillianResource MockServer}, and the extension's settings in {@code arquillian.xml}
 * ({@code <extension qualifier="mpsecrets">}: {@code serverLogs}, {@code configure}), for applications' tests
 * (docs/testing.md); they keep the API promise of docs/architecture.md ("What is API"); what the mocks answer follows
 * the real services and may grow in any release (more operations, errors closer to the real ones).
 *
 * <p>Everything else here is the extension's wiring. Internal: not API; may change in any release.
 */
package io.mpsecrets.testkit.arquillian;
