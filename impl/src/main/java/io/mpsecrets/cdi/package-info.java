/**
 * mp-secrets in a CDI container: the portable extension ({@link MpSecretsExtension}, registered in
 * {@code META-INF/services}) bridges audit events to CDI events, validates at start-up, fails a deployment closed where
 * mp-secrets' interceptors do not run, and closes the runtime at shutdown, through {@link ApplicationSecrets}, which
 * the Quarkus extension uses too; and the rotation scope ({@link RotationScoped}, with its context
 * {@link RotationContext}).
 *
 * <p>API: {@link RotationScoped} (docs/cdi.md), {@link Tls} (the qualifier of a TLS material's beans, docs/tls.md),
 * and {@link MpSecretsExtension} as a class an application names when it builds a container by hand (Weld SE,
 * docs/testing.md: its public constructor, not its observer methods); all keep the API promise of
 * docs/architecture.md ("What is API").
 *
 * <p>Everything else here is mp-secrets' own container wiring. Internal: not API; may change in any release.
 */
package io.mpsecrets.cdi;
