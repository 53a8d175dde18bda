package io.mpsecrets.testkit.arquillian;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.config.descriptor.api.ArquillianDescriptor;
import org.jboss.arquillian.config.descriptor.api.ExtensionDef;

/** The extension's settings in {@code arquillian.xml} ({@code <extension qualifier="mpsecrets">}). */
record TestkitSettings(Optional<Path> serverLogs, boolean configure) {

    static final String QUALIFIER = "mpsecrets";

    static TestkitSettings of(ArquillianDescriptor descriptor) {
        Map<String, String> properties = Map.of();
        if (descriptor != null) {
            for (ExtensionDef extension : descriptor.getExtensions()) {
                if (QUALIFIER.equals(extension.getExtensionName())) {
                    properties = extension.getExtensionProperties();
                }
            }
        }
        String logs = properties.get("serverLogs");
        return new TestkitSettings(
                logs == null || logs.isBlank() ? Optional.empty() : Optional.of(Path.of(logs.strip())),
                !"false"
                        .equalsIgnoreCase(
                                properties.getOrDefault("configure", "true").strip()));
    }
}
