package io.mpsecrets.examples.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an administrator does once to install mp-secrets in a WildFly for every application (docs/servers.md shows
 * the result): a JBoss module {@code io.mpsecrets} holding the jars, with the modules they need, and a server config
 * that makes it a global module with {@code services="true"}, so that SmallRye Config and Weld see its
 * {@code META-INF/services}. Run by the build before the integration tests, with the core, both backends and the AWS
 * SDK's jars: the module's dependencies follow from the jars it holds, and docs/servers.md's module.xml for one
 * backend is {@link #moduleXml(String, List)} of the same jars ({@code ServerWideInstallIT} checks the page).
 *
 * <p>Arguments: the WildFly home, the directory of the jars to install, the server config file to write.
 */
public final class WildFlyGlobalModule {

    static final String MODULE = "io.mpsecrets";

    /** mp-secrets' own jars start so; every other jar in the module is the AWS SDK's. */
    static final String OWN_JAR = "mpsecrets-";

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

    /**
     * What each backend's jar adds: Vault is spoken through the JDK's HTTP client; the AWS SDK logs through SLF4J,
     * which the server has (its own jars, the SDK's, sit in the module beside mpsecrets-aws).
     */
    static final Map<String, List<String>> BACKENDS = backends();

    private WildFlyGlobalModule() {}

    private static Map<String, List<String>> backends() {
        Map<String, List<String>> backends = new LinkedHashMap<>();
        backends.put("vault", List.of("java.net.http"));
        backends.put("aws", List.of("org.slf4j"));
        return backends;
    }

    public static void main(String[] args) throws IOException {
        Path home = Path.of(args[0]);
        Path jars = Path.of(args[1]);
        String configName = args[2];
        Path moduleDir = Files.createDirectories(home.resolve("modules/" + MODULE.replace('.', '/') + "/main"));
        List<String> names;
        try (Stream<Path> found = Files.list(jars)) {
            names = found.filter(p -> p.toString().endsWith(".jar"))
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
        try (Stream<Path> old = Files.list(moduleDir)) {
            for (Path stale : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(stale); // a jar of an earlier build's version would otherwise stay in the module
            }
        }
        for (String name : names) {
            Files.copy(jars.resolve(name), moduleDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(moduleDir.resolve("module.xml"), moduleXml(names), StandardCharsets.UTF_8);
        Path configuration = home.resolve("standalone/configuration");
        String standalone = Files.readString(configuration.resolve("standalone.xml"), StandardCharsets.UTF_8);
        Files.writeString(configuration.resolve(configName), withGlobalModule(standalone), StandardCharsets.UTF_8);
    }

    /**
     * The module.xml of these jars: mp-secrets' first, then the AWS SDK's, each sorted; the core's dependencies and
     * those of each backend whose jar is among them.
     */
    static String moduleXml(List<String> jars) {
        List<String> dependencies = new ArrayList<>(DEPENDENCIES);
        BACKENDS.forEach((backend, needs) -> {
            if (jars.stream().anyMatch(jar -> jar.startsWith(OWN_JAR + backend + "-"))) {
                dependencies.addAll(needs);
            }
        });
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<module xmlns=\"urn:jboss:module:1.9\" name=\"" + MODULE + "\">\n"
                + "    <resources>\n"
                + jars.stream()
                        .sorted(Comparator.comparing((String jar) -> !jar.startsWith(OWN_JAR))
                                .thenComparing(Comparator.naturalOrder()))
                        .map(jar -> "        <resource-root path=\"" + jar + "\"/>\n")
                        .collect(Collectors.joining())
                + "    </resources>\n"
                + "    <dependencies>\n"
                + dependencies.stream()
                        .map(module -> "        <module name=\"" + module + "\"/>\n")
                        .collect(Collectors.joining())
                + "    </dependencies>\n"
                + "</module>\n";
    }

    /**
     * The module.xml of the core and one backend, out of the jars installed: mpsecrets-api, mpsecrets-impl, the
     * backend's jar, and for {@code aws} the AWS SDK's.
     */
    static String moduleXml(String backend, List<String> installed) {
        if (!BACKENDS.containsKey(backend)) {
            throw new IllegalArgumentException("no backend " + backend + "; " + BACKENDS.keySet());
        }
        return moduleXml(installed.stream()
                .filter(jar -> jar.startsWith(OWN_JAR + "api-")
                        || jar.startsWith(OWN_JAR + "impl-")
                        || jar.startsWith(OWN_JAR + backend + "-")
                        || (backend.equals("aws") && !jar.startsWith(OWN_JAR)))
                .toList());
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
