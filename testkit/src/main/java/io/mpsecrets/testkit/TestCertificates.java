package io.mpsecrets.testkit;

import io.mpsecrets.testkit.tls.SelfSignedCertificate;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1, made with the JDK's own {@code keytool}, so TLS with a custom CA bundle can
 * be tested offline: {@link #serverContext()} for the mock server, {@link #caBundle()} (PEM) for the client.
 */
public final class TestCertificates {

    private final SelfSignedCertificate certificate;

    private TestCertificates(SelfSignedCertificate certificate) {
        this.certificate = certificate;
    }

    public static TestCertificates create(Path dir) {
        return new TestCertificates(SelfSignedCertificate.create(dir));
    }

    /** The PEM certificate to trust. */
    public Path caBundle() {
        return certificate.caBundle();
    }

    public SSLContext serverContext() {
        return certificate.serverContext();
    }
}
