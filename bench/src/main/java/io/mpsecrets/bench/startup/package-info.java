/**
 * Start-up cost as whole processes ({@link StartupReport}): a fresh JVM builds a config and reads n values
 * ({@link StartupApp}), without mp-secrets, with it under each KMS and store, and as the floor any such library pays
 * ({@link StartupFloorApp}); docs/performance.md has the figures.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.bench.startup;
