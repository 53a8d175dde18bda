package io.mpsecrets.bench.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an application's start loads because of mp-secrets, checked as a whole process (the start-up figures
 * themselves are measured by {@link StartupReport}, never timed in a test): with 50 {@code ENC} values under the
 * local keyring, no record's generated {@code equals}/{@code hashCode} is bootstrapped (about 40 ms of method handles
 * on first use) and no AWS SDK class is touched.
 */
class StartupClassesTest {

    @TempDir
    Path dir;

    @Test
    void fiftyEncValuesStartWithoutRecordBootstrapsOrAwsClasses() throws Exception {
        LocalKeyring keyring = LocalKeyring.generate("startup");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        Properties properties = new Properties();
        properties.setProperty("mpsecrets.kms.local.keyring", keyringFile.toString());
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                LocalKeyringKms.of(keyring), "local", EncryptionContext.forApplication("default"))) {
            for (int i = 0; i < 50; i++) {
                properties.setProperty(
                        "value." + i,
                        encryptor.encrypt(("secret-value-" + i + "-x").getBytes(StandardCharsets.UTF_8), "value." + i));
            }
        }
        Path file = dir.resolve("app.properties");
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        // This module's class path, as Maven gave it to the tests: mp-secrets, SmallRye, the AWS SDK (for the other
        // variants) and more; the application must not touch what it does not need.
        String classpath = System.getProperty("java.class.path");
        Path loaded = dir.resolve("classes.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load:file=" + loaded,
                "-cp",
                classpath,
                StartupApp.class.getName(),
                file.toString(),
                "50"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("app.log").toFile())
                .start();
        assertEquals(0, process.waitFor(), () -> read(dir.resolve("app.log")));
        List<String> classes = Files.readAllLines(loaded);
        assertThat(classes).anySatisfy(line -> assertThat(line).contains("io.mpsecrets.envelope.EnvelopeDecryptor"));
        assertThat(classes)
                .as("a record's generated equals/hashCode used at start-up")
                .noneSatisfy(line -> assertThat(line).contains("java.lang.runtime.ObjectMethods "));
        assertThat(classes).noneSatisfy(line -> assertThat(line).contains("software.amazon.awssdk"));
        assertThat(Arrays.asList(classpath.split(File.pathSeparator)))
                .anySatisfy(entry -> assertThat(entry).contains("awssdk"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
