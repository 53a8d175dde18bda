package io.mpsecrets.azure;

import static io.mpsecrets.azure.AzureTestSettings.base;
import static io.mpsecrets.azure.AzureTestSettings.store;
import static io.mpsecrets.azure.AzureTestSettings.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way Azure's SDKs log in, against the mock's Entra ID, IMDS and App Service identity endpoint: a certificate
 * (PKCS#12 and PEM) signing a client assertion, workload identity's federated token file (read again after the kubelet
 * rotates it), a managed identity from IMDS and from App Service, and the {@code AZURE_*} environment variables alone.
 */
class KeyVaultCredentialsTest {

    private static final String PASSWORD = "p12-" + LeakGuard.CANARY;
    private static MockAzure azure;
    private static String secret;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        azure = MockAzure.start();
        secret = "cred-secret";
        azure.vault().setSecret(secret, "v-" + LeakGuard.CANARY);
    }

    @AfterAll
    static void stop() {
        azure.close();
    }

    private static void readsTheSecret(Map<String, String> settings, Map<String, String> environment) {
        try (KeyVaultSecretStore store = store(settings, environment)) {
            assertEquals(
                    "v-" + LeakGuard.CANARY, store.fetch(SecretId.of(secret)).asString());
            LeakGuard.assertNoLeak(store);
        }
    }

    /** An RSA key and self-signed certificate in a PKCS#12 file, made by keytool. */
    private static Path pkcs12(String alias) throws Exception {
        Path file = dir.resolve(alias + ".p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(List.of(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        alias,
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=" + alias,
                        "-validity",
                        "2",
                        "-keystore",
                        file.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD))
                .redirectErrorStream(true)
                .start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as("keytool")
                .isTrue();
        return file;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    @Test
    void aCertificateInPkcs12OrPemSignsTheClientAssertion() throws Exception {
        Path p12 = pkcs12("orders-cert");
        KeyStore keys = load(p12);
        X509Certificate certificate = (X509Certificate) keys.getCertificate("orders-cert");
        azure.clientCertificate("cert-app", certificate);
        Map<String, String> settings = with(base(azure), "mpsecrets.azure.client-id", "cert-app");
        readsTheSecret(
                with(
                        settings,
                        "mpsecrets.azure.client-certificate-path",
                        p12.toString(),
                        "mpsecrets.azure.client-certificate-password",
                        PASSWORD),
                Map.of());

        PrivateKey key = (PrivateKey) keys.getKey("orders-cert", PASSWORD.toCharArray());
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path pem = dir.resolve("orders-cert.pem");
        Files.writeString(
                pem,
                "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n"
                        + mime.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        readsTheSecret(settings, Map.of("AZURE_CLIENT_CERTIFICATE_PATH", pem.toString()));

        // Another key for the same certificate's client: Entra ID refuses the assertion.
        Path other = pkcs12("other-cert");
        try (KeyVaultSecretStore store = store(
                with(
                        settings,
                        "mpsecrets.azure.client-certificate-path",
                        other.toString(),
                        "mpsecrets.azure.client-certificate-password",
                        PASSWORD),
                Map.of())) {
            SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of(secret)));
            assertThat(e.getMessage()).contains("invalid_client");
            LeakGuard.assertNoLeak(e, store);
        }
    }

    @Test
    void workloadIdentityReadsTheFederatedTokenFileAgainAfterTheKubeletRotatesIt() throws Exception {
        Path tokenFile = dir.resolve("azure-identity-token");
        Files.writeString(tokenFile, azure.federatedToken("aks-app"));
        Map<String, String> environment = Map.of(
                "AZURE_CLIENT_ID", "aks-app",
                "AZURE_TENANT_ID", azure.tenant(),
                "AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString(),
                "AZURE_AUTHORITY_HOST", azure.endpoint().toString());
        Map<String, String> settings = with(base(azure), "mpsecrets.azure.authority-host", null);
        try (KeyVaultSecretStore store = store(settings, environment)) {
            assertEquals(
                    "v-" + LeakGuard.CANARY, store.fetch(SecretId.of(secret)).asString());
            assertThat(store.toString()).contains("workload-identity");

            Files.writeString(tokenFile, azure.federatedToken("aks-app")); // the old one no longer logs in
            azure.revokeTokens();
            assertEquals(
                    "v-" + LeakGuard.CANARY, store.fetch(SecretId.of(secret)).asString());
        }
    }

    @Test
    void aManagedIdentityFromImdsOrFromAppService() {
        azure.managedIdentity("user-assigned-1");
        Map<String, String> imds = with(
                base(azure),
                "mpsecrets.azure.auth",
                "managed-identity",
                "mpsecrets.azure.managed-identity.endpoint",
                azure.endpoint().toString());
        long before = azure.identityCounter().calls("IMDS");
        readsTheSecret(imds, Map.of());
        readsTheSecret(imds, Map.of("AZURE_CLIENT_ID", "user-assigned-1"));
        assertEquals(before + 2, azure.identityCounter().calls("IMDS"));

        Map<String, String> appService = Map.of(
                "IDENTITY_ENDPOINT", azure.identityEndpoint().toString(),
                "IDENTITY_HEADER", azure.identityHeader());
        long appBefore = azure.identityCounter().calls("AppService");
        readsTheSecret(base(azure), appService);
        assertEquals(appBefore + 1, azure.identityCounter().calls("AppService"));

        try (KeyVaultSecretStore store = store(
                base(azure),
                Map.of("IDENTITY_ENDPOINT", azure.identityEndpoint().toString(), "IDENTITY_HEADER", "wrong"))) {
            assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of(secret)));
        }
        try (KeyVaultSecretStore store = store(imds, Map.of("AZURE_CLIENT_ID", "not-assigned"))) {
            assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of(secret)));
        }
    }

    @Test
    void theEnvironmentVariablesAloneLogIn() {
        azure.clientSecret("env-app", "env-" + LeakGuard.CANARY);
        readsTheSecret(
                base(azure),
                Map.of(
                        "AZURE_CLIENT_ID",
                        "env-app",
                        "AZURE_CLIENT_SECRET",
                        "env-" + LeakGuard.CANARY,
                        "AZURE_TENANT_ID",
                        azure.tenant()));
        try (KeyVaultSecretStore store = store(
                base(azure),
                Map.of(
                        "AZURE_CLIENT_ID", "env-app",
                        "AZURE_CLIENT_SECRET", "env-" + LeakGuard.CANARY,
                        "AZURE_TENANT_ID", "another-tenant"))) {
            SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of(secret)));
            assertThat(e.getMessage()).contains("AADSTS90002");
        }
    }

    @Test
    void settingsThatCannotWorkAreConfigurationErrors() {
        assertThrows(ConfigurationException.class, () -> store(with(base(azure), "mpsecrets.azure.auth", "password")));
        assertThrows(
                ConfigurationException.class,
                () -> store(with(base(azure), "mpsecrets.azure.auth", "client-secret"), Map.of()));
        assertThrows(
                ConfigurationException.class,
                () -> store(
                        base(azure),
                        Map.of("IDENTITY_ENDPOINT", azure.identityEndpoint().toString())));
        assertThrows(
                ConfigurationException.class,
                () -> store(with(base(azure), "mpsecrets.azure.vault-url", "http://orders.vault.azure.net")));
        assertThrows(
                ConfigurationException.class,
                () -> store(with(base(azure), "mpsecrets.azure.vault-url", "https://v.vault.azure.net/secrets")));
    }
}
