/**
 * Rotation polling: {@link RotationWatcher} asks for each cached store secret's current version, cheaply and jittered,
 * on one daemon thread per application, and swaps a new version into the cache, which reports the rotation.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.rotation;
