/**
 * The Quarkus extension at run time: what mp-secrets' portable CDI extension does elsewhere, done for ArC
 * ({@link MpSecretsLifecycle}), the rotation scope as an ArC context ({@link ArcRotationContext}), the health checks as
 * ArC beans, and the refusal of secrets on properties the build fixed ({@link FixedAtBuildConfigBuilder}). An
 * application adds the extension (docs/quarkus.md) and names none of these.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.quarkus.runtime;
