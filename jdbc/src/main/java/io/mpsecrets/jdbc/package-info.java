/**
 * Database logins with credentials from secret stores: {@link MpSecretsDriver} (URLs {@code jdbc:mpsecrets:<the
 * driver's own URL>}) and {@link MpSecretsDataSource} take the user and password from references such as
 * {@code ${vault::database/creds/orders#password}} on each new physical connection ({@link SecretCredentials}), and
 * when the database refuses a login ({@link LoginRefusals}) fetch them again past their TTL and retry once. They open
 * the stores themselves through {@link io.mpsecrets.api.spi.SecretStoreFactory} (the api's entry point, as the runtime
 * does), so they work where a server loads a JDBC driver outside any application (docs/jdbc.md).
 *
 * <p>API: {@link MpSecretsDriver}, {@link MpSecretsDataSource}, {@link SecretCredentials} and {@link LoginRefusals},
 * which servers' configurations and pools name; they keep the API promise of docs/architecture.md ("What is API").
 *
 * <p>The rest is used by these classes only. Internal: not API; may change in any release.
 */
package io.mpsecrets.jdbc;
