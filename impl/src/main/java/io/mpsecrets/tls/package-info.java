/**
 * TLS keys and certificates from secret stores, following rotation without a restart: named materials
 * ({@code mpsecrets.tls.<name>.*}) parsed with the JDK, checked before use, swapped atomically behind an
 * {@link javax.net.ssl.SSLContext}, a key manager and a trust manager. docs/tls.md describes the settings.
 *
 * <p>API: {@link MpSecretsTls} (the plain Java entry point) and {@link TlsMaterial}'s public methods (what an
 * application asks of a material: its context, managers, certificate and state); both keep the API promise of
 * docs/architecture.md ("What is API"). The CDI qualifier is {@code io.mpsecrets.cdi.Tls}.
 *
 * <p>Everything else here (the registry, parsing, checks, generations, delegating managers) is mp-secrets' own.
 * Internal: not API; may change in any release.
 */
package io.mpsecrets.tls;
