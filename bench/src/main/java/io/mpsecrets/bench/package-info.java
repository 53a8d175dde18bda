/**
 * JMH benchmarks of mp-secrets' hot paths, each against a baseline measured in the same run (a plain config lookup, raw
 * JCA decryption, and the tools users compare with: SmallRye Config's {@code aes-gcm-nopadding} handler and jasypt),
 * and {@link RatioReport}, which runs them and fails when a ratio misses its target (docs/performance.md).
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.bench;
