/**
 * A small orders service that uses secrets without knowing mp-secrets ({@link OrdersApplication}): it signs tokens with
 * a key injected by {@code @ConfigProperty} ({@link TokenSigner}), lists on a status page the secrets it has and the
 * audit events it observed ({@link StatusResource}, {@link AuditTrail}), and maps a secret it cannot have to a 503
 * ({@link SecretUnavailableMapper}); {@link DemoSetup} is what a developer does once before running it. Sample code to
 * read and copy, not a library.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.examples;
