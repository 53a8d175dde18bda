package io.mpsecrets.testkit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1, made with the JDK's own {@code keytool}, so TLS with a custom CA bundle can
 * be tested offline: {@link #serverContext()} for the mock server, {@link #caBundle()} (PEM) for the client. What
 * {@code io.mpsecrets.testkit.TestCertificates} gives applications, here so that the mocks' own packages (the Azure
 * mock serves only HTTPS) use it without depending on the package that starts them.
 */
public final class SelfSignedCertificate {

    private static final char[] PASSWORD = "mock-server".toCharArray();

    private final Path keystore;
    private final Path caBundle;

    private SelfSignedCertificate(Path keystore, Path caBundle) {
        this.keystore = keystore;
        this.caBundle = caBundle;
    }

    public static SelfSignedCertificate create(Path dir) {
        Path keystore = dir.resolve("mock-server.p12");
        Path pem = dir.resolve("mock-server-ca.pem");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "mock",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD)));
        run(List.of(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "mock",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-file",
                pem.toString()));
        return new SelfSignedCertificate(keystore, pem);
    }

    /** Runs a keytool command (its first element the keytool to run), failing with keytool's output. */
    public static void run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The PEM certificate to trust. */
    public Path caBundle() {
        return caBundle;
    }

    /** The key managers of the certificate's key store, for a server context with trust managers of its own. */
    public KeyManager[] keyManagers() {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            return keys.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the test keystore", e);
        }
    }

    public SSLContext serverContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test TLS context", e);
        }
    }
}
