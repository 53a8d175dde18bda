/**
 * mp-secrets inside MicroProfile Config: on SmallRye, the interceptors that replace each secret by a tag next to the
 * sources ({@link SecretMarker}) and by its plaintext after {@code ${...}} expansion ({@link SecretResolver}), and a
 * store as a config source ({@link SecretStoreConfigSource}); on other implementations (Payara's) the portable source
 * ({@link PortableSecretsProvider}); the per-config binding they share ({@link ConfigRegistry}); the build-time guards
 * ({@link BuildTime}, {@link FixedAtBuild}); and reads of a config that resolve nothing ({@link RawValues},
 * {@link SecretInventory}).
 *
 * <p>API: {@link SecretInventory} (the list of an application's secrets for a status page, as the example's
 * {@code StatusResource} shows) and {@link RawValues#raw(org.eclipse.microprofile.config.Config, String) RawValues.raw}
 * (a property's text as its source holds it: docs/servers.md); they keep the API promise of docs/architecture.md ("What
 * is API").
 *
 * <p>Everything else here is wired in through {@code META-INF/services} or used by mp-secrets' own modules. Internal:
 * not API; may change in any release.
 */
package io.mpsecrets.config;
