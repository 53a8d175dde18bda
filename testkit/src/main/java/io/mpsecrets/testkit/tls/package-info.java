/**
 * A self-signed certificate for 127.0.0.1 made with the JDK's {@code keytool}, shared by the mocks that serve HTTPS
 * and by {@code io.mpsecrets.testkit.TestCertificates}, which is what applications use.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.testkit.tls;
