package io.mpsecrets.bench.startup;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The class paths the start-up reports give the applications they start, each only what that application needs,
 * from the build's {@code startup-classpath.txt}: SmallRye alone ({@code plain}), with JSON-P ({@code floor}), with
 * mp-secrets ({@code core}), with mp-secrets' AWS module and the AWS SDK ({@code aws}), and with the AWS SDK but none
 * of mp-secrets ({@code sdk}).
 */
record ClassPaths(String plain, String floor, String core, String aws, String sdk) {

    static ClassPaths of(Path target) throws IOException {
        List<String> jars = Arrays.asList(
                Files.readString(target.resolve("startup-classpath.txt")).trim().split(File.pathSeparator));
        String classes = target.resolve("classes").toString();
        Predicate<String> smallrye = jar -> jar.contains("/smallrye-config-core/")
                || jar.contains("/smallrye-config-common/")
                || jar.contains("/microprofile-config-api/")
                || jar.contains("/io/smallrye/common/")
                || jar.contains("/jboss-logging/")
                || jar.contains("/org/ow2/asm/");
        Predicate<String> json = jar -> jar.contains("/jakarta.json-api/") || jar.contains("/parsson/");
        Predicate<String> sdk = jar ->
                jar.contains("/software/amazon/") || jar.contains("/slf4j-api/") || jar.contains("/reactive-streams/");
        // mp-secrets' own modules are jars in a local repository, or target/classes in a reactor build.
        Predicate<String> core = smallrye.or(json)
                .or(jar -> holds(jar, "io/mpsecrets/api/SecretStore.class")
                        || holds(jar, "io/mpsecrets/config/SecretMarker.class"));
        Predicate<String> aws = core.or(sdk).or(jar -> holds(jar, "io/mpsecrets/aws/AwsClients.class"));
        return new ClassPaths(
                join(classes, jars, smallrye),
                join(classes, jars, smallrye.or(json)),
                join(classes, jars, core),
                join(classes, jars, aws),
                join(classes, jars, smallrye.or(sdk)));
    }

    /** Whether a class path entry (a jar or a directory) holds {@code resource}. */
    private static boolean holds(String entry, String resource) {
        Path path = Path.of(entry);
        if (Files.isDirectory(path)) {
            return Files.exists(path.resolve(resource));
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile())) {
            return jar.getEntry(resource) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String join(String classes, List<String> jars, Predicate<String> keep) {
        List<String> kept = new ArrayList<>(List.of(classes));
        jars.stream().filter(keep).forEach(kept::add);
        return String.join(File.pathSeparator, kept);
    }
}
