package io.mpsecrets.testkit.arquillian;

import io.mpsecrets.testkit.MockSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.ArchivePaths;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Adds, before a deployment is deployed, the settings that point mp-secrets at the mocks ({@link MockSettings}) to
 * the web archive's {@code microprofile-config.properties}, after what the archive says: a setting the archive sets
 * itself (another principal, a real endpoint) stays as it is.
 */
final class MockSettingsProcessor {

    static final ArchivePath CONFIG = ArchivePaths.create("/WEB-INF/classes/META-INF/microprofile-config.properties");

    private MockSettingsProcessor() {}

    /**
     * Adds the missing settings, and the properties the test class declares, to a web archive (no other kind
     * carries the application's config here).
     */
    static void process(Archive<?> archive, Map<String, String> declared) {
        if (!(archive instanceof WebArchive)) {
            return;
        }
        String text = read(archive.get(CONFIG));
        Properties present = new Properties();
        try {
            present.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder added = new StringBuilder();
        Map<String, String> wanted = new java.util.LinkedHashMap<>(MockSettings.of(MpSecretsArquillian.server()));
        wanted.putAll(declared);
        for (Map.Entry<String, String> setting : wanted.entrySet()) {
            if (!present.containsKey(setting.getKey())) {
                added.append(setting.getKey())
                        .append('=')
                        .append(setting.getValue())
                        .append('\n');
            }
        }
        if (added.length() > 0) {
            String joined = (text.isEmpty() || text.endsWith("\n") ? text : text + "\n")
                    + "# mp-secrets testkit: the mock services of this test run\n" + added;
            archive.delete(CONFIG);
            archive.add(new StringAsset(joined), CONFIG);
        }
    }

    private static String read(Node node) {
        if (node == null || node.getAsset() == null) {
            return "";
        }
        try (InputStream in = node.getAsset().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
