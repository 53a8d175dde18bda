package io.mpsecrets.tck.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.backend.Backends;
import io.mpsecrets.runtime.KnownSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every setting the README and docs/ show is one mp-secrets or a shipped backend reads (issue 36: the docs told users
 * to set {@code mpsecrets.vault.role}, which nothing reads). Names with a placeholder are checked with a sample in its
 * place ({@code <store>} as {@code file}); metric and attribute names, which share the prefix, are taken from the
 * metrics code and left out.
 */
class DocumentedSettingsTest {

    /** {@code mpsecrets.} not preceded by a package, a URL or a variable, up to the end of the name. */
    private static final Pattern SETTING =
            Pattern.compile("(?<![\\w.$/-])mpsecrets\\.[a-zA-Z0-9.<>*_\\-]*[a-zA-Z0-9>*]");

    private static final Pattern LITERAL = Pattern.compile("\"(mpsecrets\\.[a-z_.]+)\"");

    @Test
    void everyDocumentedSettingIsKnown() throws IOException {
        KnownSettings known = KnownSettings.of(Backends.discover(getClass().getClassLoader()));
        Set<String> metrics = metricNames();
        assertThat(metrics).as("the metric names were found").contains("mpsecrets.decryptions");
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            String text = Files.readString(page, StandardCharsets.UTF_8);
            Matcher found = SETTING.matcher(text);
            while (found.find()) {
                String name = found.group();
                boolean prefixOnly = found.end() < text.length() && text.charAt(found.end()) == '.';
                int lineStart = text.lastIndexOf('\n', found.start()) + 1;
                boolean shownAsUnknown =
                        text.substring(lineStart, found.start()).endsWith("unknown setting ");
                if (prefixOnly
                        || shownAsUnknown // the warning for a typo, quoted as an example
                        || metrics.contains(name)
                        || name.endsWith("*")
                        || name.endsWith(">")) {
                    continue; // a family (mpsecrets.vault.*, mpsecrets.kms.<kms>), a prefix or a metric
                }
                String sample = name.replace("<store>", "file").replace("<kms>", "local");
                if (sample.contains("<")) {
                    sample = sample.replaceAll("<[^>]*>", "x");
                }
                checked++;
                if (!known.known(sample)) {
                    unknown.add(page.getFileName() + ": " + name);
                }
            }
        }
        assertThat(checked).as("settings were found on the pages").isGreaterThan(50);
        assertThat(unknown).as("settings the docs show that nothing reads").isEmpty();
    }

    /**
     * The new user's typo: the known settings it may have meant include the one the docs meant. Every login method
     * has a role, so all of them are named.
     */
    @Test
    void aMistypedVaultSettingIsNamedWithTheOneItMeant() {
        KnownSettings known = KnownSettings.of(Backends.discover(getClass().getClassLoader()));
        assertThat(known.unknown(List.of("mpsecrets.vault.role", "MPSECRETS_KMS_VAULT_TRANSIT_MOUNT")))
                .singleElement()
                .hasToString("mpsecrets.vault.role (did you mean mpsecrets.vault.aws.role, mpsecrets.vault.jwt.role,"
                        + " mpsecrets.vault.cert.role or mpsecrets.vault.kubernetes.role?)");
    }

    /** Azure's own SDKs say vault URL; a user who writes uri is told the name, and the KMS's overrides are known. */
    @Test
    void azureSettingsAreKnownAndAMistypedOneIsNamed() {
        KnownSettings known = KnownSettings.of(Backends.discover(getClass().getClassLoader()));
        assertThat(known.known("mpsecrets.azure.vault-url")).isTrue();
        assertThat(known.known("mpsecrets.kms.azure-keyvault.client-id")).isTrue();
        assertThat(known.unknown(List.of("mpsecrets.azure.vault-uri")))
                .singleElement()
                .hasToString("mpsecrets.azure.vault-uri (did you mean mpsecrets.azure.vault-url?)");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("../README.md")));
        try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher literal = LITERAL.matcher(Files.readString(
                Path.of("../impl/src/main/java/io/mpsecrets/metrics/SecretsMetrics.java"), StandardCharsets.UTF_8));
        while (literal.find()) {
            names.add(literal.group(1));
        }
        return names;
    }
}
