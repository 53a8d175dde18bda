/**
 * A test PKI (root and intermediate CA, leaf certificates, revocation, CRL) with BouncyCastle's PKIX library, which
 * the testkit alone may use: the mock Vault's PKI engine and TLS tests issue from it.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.testkit.pki;
