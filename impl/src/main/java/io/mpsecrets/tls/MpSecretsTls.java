package io.mpsecrets.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The plain Java entry point to TLS materials ({@code mpsecrets.tls.<name>.*}, docs/tls.md), for code without CDI:
 * {@code HttpClient.newBuilder().sslContext(MpSecretsTls.sslContext("orders"))}. What it returns follows every
 * rotation of the material without a restart: new handshakes use the new certificate.
 */
public final class MpSecretsTls {

    private MpSecretsTls() {}

    /**
     * The TLS context of the material {@code name} in the calling application's config.
     *
     * @throws io.mpsecrets.api.exception.SecretException naming the material when it cannot be loaded or used
     */
    public static SSLContext sslContext(String name) {
        return material(name).sslContext();
    }

    /** The key manager of the material {@code name}: the certificate in service at each handshake. */
    public static X509ExtendedKeyManager keyManager(String name) {
        return material(name).keyManager();
    }

    /** The trust manager of the material {@code name}. */
    public static X509ExtendedTrustManager trustManager(String name) {
        return material(name).trustManager();
    }

    /** The material {@code name} in the calling application's config ({@code ConfigProvider.getConfig()}). */
    public static TlsMaterial material(String name) {
        return material(ConfigProvider.getConfig(), name);
    }

    /** The material {@code name} in {@code config}. */
    public static TlsMaterial material(Config config, String name) {
        return TlsMaterials.of(config).material(name);
    }
}
