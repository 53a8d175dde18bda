package io.mpsecrets.testkit;

import io.mpsecrets.testkit.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A self-signed certificate for 127.0.0.1, made with the JDK's own {@code keytool}, so TLS with a custom CA bundle can
 * be tested offline: {@link #serverContext()} for the mock server, {@link #caBundle()} (PEM) for the client. For TLS
 * client authentication (Vault's {@code cert} login), {@link #clientCertificate} issues client certificates from a
 * test CA of its own ({@link #clientCa()}), also with {@code keytool} ({@code -gencert}).
 */
public final class TestCertificates {

    private static final char[] PASSWORD = "mock-server".toCharArray();

    private final SelfSignedCertificate server;
    private final Path dir;
    private Path clientCaStore;

    private TestCertificates(SelfSignedCertificate server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /**
     * A client certificate and its key, issued by {@link #clientCa()} for TLS client authentication: as a PKCS#12 key
     * store ({@code keyStore}, with the CA in its chain, password {@code password}) and as PEM files (the certificate,
     * and the private key in PKCS#8).
     */
    public record ClientCertificate(
            Path keyStore, String password, Path certificatePem, Path privateKeyPem, X509Certificate certificate) {}

    public static TestCertificates create(Path dir) {
        return new TestCertificates(SelfSignedCertificate.create(dir), dir);
    }

    /** Takes any client certificate: the served method decides (it is never asked about servers). */
    private static final X509TrustManager ANY_CLIENT = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server context does not check servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private static void run(List<String> command) {
        SelfSignedCertificate.run(command);
    }

    /** The CA that issues {@link #clientCertificate}s (made on first use), for a Vault {@code cert} role. */
    public synchronized X509Certificate clientCa() {
        String keytool = keytool();
        if (clientCaStore == null) {
            Path store = dir.resolve("client-ca.p12");
            run(List.of(
                    keytool,
                    "-genkeypair",
                    "-alias",
                    "ca",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=mp-secrets test client CA",
                    "-ext",
                    "bc:c",
                    "-validity",
                    "2",
                    "-keystore",
                    store.toString(),
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
                    "ca",
                    "-keystore",
                    store.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    new String(PASSWORD),
                    "-file",
                    dir.resolve("client-ca.pem").toString()));
            clientCaStore = store;
        }
        return read(dir.resolve("client-ca.pem"));
    }

    /** A client certificate for {@code commonName} ({@code CN=<commonName>}, extended key usage clientAuth). */
    public synchronized ClientCertificate clientCertificate(String commonName) {
        clientCa();
        String keytool = keytool();
        String name = "client-" + commonName.replaceAll("[^A-Za-z0-9_-]", "_");
        Path store = dir.resolve(name + ".p12");
        Path request = dir.resolve(name + ".csr");
        Path pem = dir.resolve(name + ".pem");
        String pass = new String(PASSWORD);
        run(List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + commonName,
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                pass,
                "-keypass",
                pass));
        run(List.of(
                keytool,
                "-certreq",
                "-alias",
                "client",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                pass,
                "-file",
                request.toString()));
        run(List.of(
                keytool,
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                clientCaStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                pass,
                "-infile",
                request.toString(),
                "-outfile",
                pem.toString(),
                "-ext",
                "EKU=clientAuth",
                "-validity",
                "2"));
        run(List.of(
                keytool,
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                dir.resolve("client-ca.pem").toString(),
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                pass));
        run(List.of(
                keytool,
                "-importcert",
                "-alias",
                "client",
                "-file",
                pem.toString(),
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                pass));
        Path keyPem = dir.resolve(name + "-key.pem");
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD);
            byte[] pkcs8 = keys.getKey("client", PASSWORD).getEncoded();
            Files.writeString(
                    keyPem,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                            + "\n-----END PRIVATE KEY-----\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the client key store", e);
        }
        return new ClientCertificate(store, pass, pem, keyPem, read(pem));
    }

    private static X509Certificate read(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + pem, e);
        }
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    /** The PEM certificate to trust. */
    public Path caBundle() {
        return server.caBundle();
    }

    /**
     * The server's TLS context. Where the server asks for client certificates
     * ({@code MockServer.Builder.wantClientCertificates()}), it takes any at the TLS layer and leaves verifying them to
     * what is served, as Vault's listener leaves them to its {@code cert} auth method.
     */
    public SSLContext serverContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(server.keyManagers(), new TrustManager[] {ANY_CLIENT}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test TLS context", e);
        }
    }
}
