/**
 * Temporary directories for the key material, CA bundles and secret files that mocks, tests and benchmarks write,
 * removed with everything in them: left in the system's temporary directory they pile up on developers' and CI
 * machines, key material among them.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.testkit.files;
