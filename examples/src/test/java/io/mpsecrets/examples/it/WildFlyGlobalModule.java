package io.mpsecrets.examples.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an administrator does once to install mp-secrets in a WildFly for every application (docs/servers.md shows
 * the result): a JBoss module {@code io.mpsecrets} holding the jars, with the modules they need, and a server config
 * that makes it a global module with {@code services="true"}, so that SmallRye Config and Weld see its
 * {@code META-INF/services}. Run by the build before the integration tests.
 *
 * <p>Arguments: the WildFly home, the directory of the jars to install, the server config file to write.
 */
public final class WildFlyGlobalModule {

    static final String MODULE = "io.mpsecrets";

    /** The server's modules mp-secrets' core uses, and the JDK modules beyond java.base (jdeps). */
    static final List<String> DEPENDENCIES = List.of(
            "io.smallrye.config",
            "org.eclipse.microprofile.config.api",
            "jakarta.enterprise.api",
            "jakarta.annotation.api",
            "jakarta.json.api",
            "org.eclipse.parsson",
            "java.logging",
            "java.naming");

    private WildFlyGlobalModule() {}

    public static void main(String[] args) throws IOException {
        Path home = Path.of(args[0]);
        Path jars = Path.of(args[1]);
        String configName = args[2];
        Path moduleDir = Files.createDirectories(home.resolve("modules/" + MODULE.replace('.', '/') + "/main"));
        List<String> names;
        try (Stream<Path> found = Files.list(jars)) {
            names = found.filter(p -> p.toString().endsWith(".jar"))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
        for (String name : names) {
            Files.copy(jars.resolve(name), moduleDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(moduleDir.resolve("module.xml"), moduleXml(names), StandardCharsets.UTF_8);
        Path configuration = home.resolve("standalone/configuration");
        String standalone = Files.readString(configuration.resolve("standalone.xml"), StandardCharsets.UTF_8);
        Files.writeString(configuration.resolve(configName), withGlobalModule(standalone), StandardCharsets.UTF_8);
    }

    static String moduleXml(List<String> jars) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<module xmlns=\"urn:jboss:module:1.9\" name=\"" + MODULE + "\">\n"
                + "    <resources>\n"
                + jars.stream()
                        .map(jar -> "        <resource-root path=\"" + jar + "\"/>\n")
                        .collect(Collectors.joining())
                + "    </resources>\n"
                + "    <dependencies>\n"
                + DEPENDENCIES.stream()
                        .map(module -> "        <module name=\"" + module + "\"/>\n")
                        .collect(Collectors.joining())
                + "    </dependencies>\n"
                + "</module>\n";
    }

    /** standalone.xml with the module as the ee subsystem's first element, where its schema wants it. */
    static String withGlobalModule(String standalone) {
        int subsystem = standalone.indexOf("<subsystem xmlns=\"urn:jboss:domain:ee:");
        if (subsystem < 0) {
            throw new IllegalStateException("no ee subsystem in standalone.xml");
        }
        int end = standalone.indexOf('>', subsystem) + 1;
        return standalone.substring(0, end)
                + "\n            <global-modules>\n"
                + "                <module name=\"" + MODULE + "\" services=\"true\"/>\n"
                + "            </global-modules>"
                + standalone.substring(end);
    }
}
