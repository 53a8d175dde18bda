/**
 * TLS keys and certificates from secret stores, following rotation without a restart: named materials
 * ({@code mpsecrets.tls.<name>.*}) parsed with the JDK, checked before use, swapped atomically behind an
 * {@link javax.net.ssl.SSLContext}, a key manager and a trust manager ({@link io.mpsecrets.tls.MpSecretsTls}; CDI
 * beans in {@code io.mpsecrets.cdi}). docs/tls.md describes the settings.
 */
package io.mpsecrets.tls;
