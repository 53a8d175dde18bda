/**
 * Masking of the application's own log output: every value mp-secrets serves (decrypted {@code ENC(...)} values,
 * store secrets, and values rotated out but still within their grace) and its common encodings are replaced by a
 * marker naming the property ({@code ***db.password***}) in java.util.logging records before any handler writes them.
 * {@link io.mpsecrets.mask.LogMasking#mask(String)} is the hook for other logging frameworks.
 */
package io.mpsecrets.mask;
