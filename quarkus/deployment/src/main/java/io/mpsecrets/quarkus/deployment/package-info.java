/**
 * The Quarkus extension at build time: the build steps ({@code MpSecretsProcessor}: the feature, the beans that start
 * and stop an application's secrets, {@code @RotationScoped}, the refusal of secrets on properties fixed at build time)
 * and the guard that keeps the build from decrypting or fetching anything ({@link BuildTimeGuardCustomizer}).
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.quarkus.deployment;
