/**
 * The audit events: one record per thing that happens to a secret ({@link SecretFetched}, {@link SecretDecrypted},
 * {@link SecretRotated}, {@link SecretFailure}, ...), each naming the secret, the worker and the {@link Outcome} and
 * never holding a value. They go to the {@code io.mpsecrets.audit} logger and, in a CDI container, are fired as CDI
 * events an application observes ({@code @Observes SecretRotated}).
 *
 * <p>API: applications observe these; they keep the API promise of docs/architecture.md ("What is API"). A minor
 * release may add an event type, a record component or an {@link Outcome}: a switch over {@link SecretEvent} or
 * {@link Outcome} needs a default branch.
 */
package io.mpsecrets.api.event;
