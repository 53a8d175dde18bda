package io.mpsecrets.tck.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What is API, said once per package: every package of the modules' main code has a {@code package-info.java} whose
 * javadoc first says what the package holds, then has an {@code API:} paragraph or ends with {@link #INTERNAL}, or,
 * where a package holds both, has the paragraph, names its API classes (which must exist) and ends with the sentence;
 * and the packages with an API paragraph are the ones docs/architecture.md lists under "What is API".
 *
 * <p>The sources are read, not the jars: javac writes a {@code package-info.class} only for a package with
 * annotations, so a package-info with javadoc alone leaves nothing to import. Surefire runs in this module's
 * directory, so the other modules are beside it.
 */
class PackageInfoTest {

    static final String INTERNAL = "Internal: not API; may change in any release.";

    /** Modules whose main code is checked: the published jars, and the benchmarks and examples. */
    private static final List<String> MODULES = List.of(
            "api",
            "impl",
            "aws",
            "vault",
            "azure",
            "gcp",
            "jdbc",
            "cli",
            "testkit",
            "quarkus/runtime",
            "quarkus/deployment",
            "bench",
            "examples");

    /** Modules whose main code only serves their own tests: nobody compiles against it. */
    private static final Set<String> TEST_ONLY = Set.of("integration-tests", "tck-tests", "quarkus/integration-tests");

    private static final Pattern JAVADOC =
            Pattern.compile("/\\*\\*(.*?)\\*/\\s*package\\s+([\\w.]+)\\s*;", Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile("\\{@link\\s+([\\w.]+)");
    private static final Pattern LISTED = Pattern.compile("`(io\\.mpsecrets(?:\\.[a-z][a-z0-9]*)*)`");

    private static Path root;
    /** Each package of the checked modules' main code, with its directory. */
    private static SortedMap<String, Path> packages;

    @BeforeAll
    static void findPackages() {
        root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("api/src/main/java"))
                .as("the repository, beside this module")
                .isDirectory();
        packages = new TreeMap<>();
        for (String module : MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(file -> file.getFileName().toString().endsWith(".java"))
                        .filter(file -> !file.getFileName().toString().equals("package-info.java"))
                        .map(Path::getParent)
                        .distinct()
                        .forEach(dir -> packages.put(
                                sources.relativize(dir)
                                        .toString()
                                        .replace(dir.getFileSystem().getSeparator(), "."),
                                dir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(packages).containsKeys("io.mpsecrets.api", "io.mpsecrets.cdi", "io.mpsecrets.testkit");
    }

    @Test
    void everyModuleWithMainCodeIsCheckedOrTestOnly() throws IOException {
        try (Stream<Path> dirs = Files.walk(root, 5)) {
            Set<String> modules = dirs.filter(dir -> dir.endsWith(Path.of("src", "main", "java")))
                    .filter(dir -> !underTarget(root.relativize(dir)))
                    .map(dir -> root.relativize(dir.getParent().getParent().getParent())
                            .toString())
                    .map(module -> module.replace(root.getFileSystem().getSeparator(), "/"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(modules).as("modules with main code").containsAll(MODULES);
            modules.removeAll(MODULES);
            modules.removeAll(TEST_ONLY);
            assertThat(modules)
                    .as("modules with main code that this test does not check: add each to MODULES or TEST_ONLY")
                    .isEmpty();
        }
    }

    /** Whether a path is in a build's output, where a copy of sources may lie. */
    private static boolean underTarget(Path path) {
        for (Path part : path) {
            if (part.toString().equals("target")) {
                return true;
            }
        }
        return false;
    }

    /** A package in the built jars whose sources this test did not find would escape every check below. */
    @Test
    void everyPackageInTheJarsIsOneWhoseSourcesAreChecked() {
        Set<String> imported = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.mpsecrets").stream()
                        .map(JavaClass::getPackageName)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertThat(imported).contains("io.mpsecrets.api", "io.mpsecrets.vault", "io.mpsecrets.testkit");
        assertThat(packages.keySet()).containsAll(imported);
    }

    @Test
    void everyPackageHasAPackageInfo() {
        assertThat(packages.entrySet().stream()
                        .filter(entry -> !Files.isRegularFile(entry.getValue().resolve("package-info.java")))
                        .map(Map.Entry::getKey))
                .as("packages without a package-info.java")
                .isEmpty();
    }

    @Test
    void everyPackageSaysWhatItHoldsAndWhetherItIsApi() {
        SortedMap<String, String> wrong = new TreeMap<>();
        packages.forEach((name, dir) -> {
            Path file = dir.resolve("package-info.java");
            if (!Files.isRegularFile(file)) {
                return; // everyPackageHasAPackageInfo names it
            }
            String problem = problem(name, dir, read(file));
            if (problem != null) {
                wrong.put(name, problem);
            }
        });
        assertThat(wrong)
                .as("package-info.java files that do not say what is API")
                .isEmpty();
    }

    @Test
    void theApiPackagesAreTheOnesTheArchitectureListsUnderWhatIsApi() {
        String architecture = read(root.resolve("docs/architecture.md"));
        int start = architecture.indexOf("\n## What is API\n");
        assertThat(start)
                .as("docs/architecture.md has a section \"What is API\"")
                .isNotNegative();
        int end = architecture.indexOf("\n## ", start + 1);
        String section = architecture.substring(start, end < 0 ? architecture.length() : end);
        SortedSet<String> listed = new TreeSet<>();
        Matcher matcher = LISTED.matcher(section);
        while (matcher.find()) {
            listed.add(matcher.group(1));
        }
        SortedSet<String> api = new TreeSet<>();
        packages.forEach((name, dir) -> {
            Path file = dir.resolve("package-info.java");
            if (Files.isRegularFile(file) && apiParagraph(paragraphs(javadoc(read(file)))) != null) {
                api.add(name);
            }
        });
        assertThat(api).as("packages with an API paragraph").contains("io.mpsecrets.api", "io.mpsecrets.testkit.leak");
        assertThat(listed).as("the packages docs/architecture.md lists as API").isEqualTo(api);
    }

    /** What is wrong with one package's {@code package-info.java}, or null. */
    private static String problem(String name, Path dir, String source) {
        Matcher matcher = JAVADOC.matcher(source);
        if (!matcher.find()) {
            return "no javadoc before the package declaration";
        }
        if (!matcher.group(2).equals(name)) {
            return "declares package " + matcher.group(2);
        }
        List<String> paragraphs = paragraphs(text(matcher.group(1)));
        String first = paragraphs.get(0);
        if (first.isEmpty() || first.startsWith("API") || first.startsWith("Internal")) {
            return "does not first say what the package holds";
        }
        String api = apiParagraph(paragraphs);
        boolean internal = paragraphs.get(paragraphs.size() - 1).endsWith(INTERNAL);
        if (api == null && !internal) {
            return "neither has an \"API:\" paragraph nor ends with \"" + INTERNAL + "\"";
        }
        if (api != null && !api.contains("docs/architecture.md (\"What is API\")")) {
            return "its API paragraph does not point at docs/architecture.md (\"What is API\")";
        }
        if (api != null && internal) {
            // Partly API: the API classes are named, and exist, so that a class renamed or moved is noticed.
            Set<String> named = links(api);
            if (named.isEmpty()) {
                return "holds API and internal classes but names no API class with {@link}";
            }
            for (String link : named) {
                if (!Files.isRegularFile(dir.resolve(link + ".java"))) {
                    return "names " + link + " as API, which is not a class of the package";
                }
            }
        }
        return null;
    }

    /** The paragraph that starts with "API:", or null. */
    private static String apiParagraph(List<String> paragraphs) {
        return paragraphs.stream().filter(p -> p.startsWith("API:")).findFirst().orElse(null);
    }

    /** The top-level classes of the package that a text links to by their simple names. */
    private static Set<String> links(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = LINK.matcher(text);
        while (matcher.find()) {
            String target = matcher.group(1);
            if (!Character.isLowerCase(target.charAt(0))) { // a qualified name is another package's
                names.add(target.split("\\.")[0]);
            }
        }
        return names;
    }

    private static String javadoc(String source) {
        Matcher matcher = JAVADOC.matcher(source);
        return matcher.find() ? text(matcher.group(1)) : "";
    }

    /** A javadoc comment's text: each line without its leading asterisk. */
    private static String text(String comment) {
        return comment.lines()
                .map(line -> line.strip().replaceFirst("^\\*\\s?", ""))
                .collect(Collectors.joining("\n"));
    }

    /** The paragraphs of a javadoc text, split at {@code <p>}, each with its white space collapsed. */
    private static List<String> paragraphs(String text) {
        return Stream.of(text.split("<p>"))
                .map(p -> p.strip().replaceAll("\\s+", " "))
                .toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
