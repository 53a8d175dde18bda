/**
 * How backends are found and built: the factories a backend registers in {@code META-INF/services}
 * ({@link SecretStoreFactory}, {@link KeyManagementServiceFactory}), and what the runtime hands them
 * ({@link BackendContext}: name, settings, environment; with {@link SecretChanges} and {@link BackendEvents} for what a
 * backend reports of its own accord); and {@link AwsRequestSigner}, which a backend that proves the application's AWS
 * identity finds where {@code mpsecrets-aws} provides it. docs/architecture.md ("Adding a backend") shows a whole
 * store.
 *
 * <p>API: for backends; it keeps the API promise of docs/architecture.md ("What is API"): within a major version these
 * interfaces gain default methods only.
 */
package io.mpsecrets.api.spi;
