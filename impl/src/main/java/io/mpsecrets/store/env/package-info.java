/**
 * The {@code env} store: environment variables as secrets ({@link EnvSecretStore}), a JSON variable's fields read as
 * {@code ${env::NAME#field}}, for development parity with the stores used in production; built by
 * {@link EnvSecretStoreFactory}, found through {@code META-INF/services}. Configuration names the store ({@code env}),
 * never these classes.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.store.env;
