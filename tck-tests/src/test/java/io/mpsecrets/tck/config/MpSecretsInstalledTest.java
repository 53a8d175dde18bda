package io.mpsecrets.tck.config;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.cdi.MpSecretsExtension;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.files.TempDirectory;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.testng.Arquillian;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.testng.annotations.Test;

/**
 * Proof that the TCK runs with mp-secrets installed: in a deployment made the way the TCK's are, mp-secrets' CDI
 * extension is registered, the config has its runtime (so its interceptors are in the chain) and an
 * {@code ENC(...)} value is decrypted on injection.
 */
public class MpSecretsInstalledTest extends Arquillian {

    static final String PLAINTEXT = "tck-" + LeakGuard.CANARY;

    @Dependent
    public static class Holder {
        @Inject
        @ConfigProperty(name = "tck.db.password")
        String password;
    }

    @Deployment
    public static WebArchive deployment() {
        // The server reads it after this method returns; removed when the tests' JVM exits.
        Path keyringFile = TempDirectory.removedAtExit("mpsecrets-tck").resolve("keyring.json");
        LocalKeyring keyring = LocalKeyring.generate("tck");
        keyring.writeTo(keyringFile, false);
        String value;
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(LocalKeyringKms.of(keyring), "local", EncryptionContext.forApplication("tck"))) {
            value = encryptor.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), "tck.db.password");
        }
        return ShrinkWrap.create(WebArchive.class, "mpsecrets-installed.war")
                .addClasses(MpSecretsInstalledTest.class, Holder.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsResource(
                        new StringAsset("mpsecrets.app=tck\nmpsecrets.kms.local.keyring=" + keyringFile
                                + "\ntck.db.password=" + value + "\n"),
                        "META-INF/microprofile-config.properties");
    }

    @Inject
    BeanManager beanManager;

    @Inject
    Holder holder;

    @Test
    public void theExtensionTheInterceptorsAndDecryptionOnInjectionAreActive() {
        assertNotNull(beanManager.getExtension(MpSecretsExtension.class), "mp-secrets' CDI extension is registered");
        assertTrue(
                ConfigRegistry.runtimeOf(ConfigProvider.getConfig()).isPresent(),
                "mp-secrets' interceptors are in the config");
        assertEquals(holder.password, PLAINTEXT);
    }
}
