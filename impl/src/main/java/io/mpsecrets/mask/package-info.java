/**
 * Masking of the application's own log output: every value mp-secrets serves (decrypted {@code ENC(...)} values,
 * store secrets, and values rotated out but still within their grace) and its common encodings are replaced by a
 * marker naming the property ({@code ***db.password***}) in java.util.logging records before any handler writes them
 * ({@link SecretMask}, {@link MaskingFilter}, {@link LogMasking}); {@link MaskPatterns} are the forms a value takes
 * in a log, which {@code mpsecrets scan} looks for too.
 *
 * <p>API: {@link LogMasking#mask(String) LogMasking.mask}, the hook for logging that does not go through
 * java.util.logging (a Logback converter, a Log4j 2 rewrite policy: docs/masking.md); it keeps the API promise of
 * docs/architecture.md ("What is API").
 *
 * <p>Everything else here is used by mp-secrets' own modules. Internal: not API; may change in any release.
 */
package io.mpsecrets.mask;
