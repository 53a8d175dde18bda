package io.mpsecrets.tck.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers hold in the built jars (api, impl, aws, vault, cli, testkit): no cycle among mp-secrets packages (the
 * api's own subpackages may refer to each other), no class that reaches into more than six other mp-secrets
 * packages, backends that use nothing of mp-secrets but the api, a core without the AWS SDK, and no backend chosen by
 * testing its name. docs/architecture.md draws them.
 */
class ArchitectureTest {

    private static final int MAX_OTHER_PACKAGES = 6;
    private static JavaClasses classes;

    @BeforeAll
    static void importJars() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.mpsecrets");
        assertThat(classes.stream().map(JavaClass::getPackageName).distinct())
                .as("the jars under test were imported")
                .contains(
                        "io.mpsecrets.api",
                        "io.mpsecrets.runtime",
                        "io.mpsecrets.config",
                        "io.mpsecrets.aws.kms",
                        "io.mpsecrets.vault",
                        "io.mpsecrets.gcp",
                        "io.mpsecrets.jdbc",
                        "io.mpsecrets.cli",
                        "io.mpsecrets.testkit");
    }

    private static boolean inApi(JavaClass javaClass) {
        return javaClass.getPackageName().equals("io.mpsecrets.api")
                || javaClass.getPackageName().startsWith("io.mpsecrets.api.");
    }

    @Test
    void noCycleAmongPackages() {
        slices().matching("io.mpsecrets.(**)")
                .should()
                .beFreeOfCycles()
                .ignoreDependency(describe("api", ArchitectureTest::inApi), describe("api", ArchitectureTest::inApi))
                .check(classes);
    }

    /**
     * Classes whose one concern is to be the door to many packages: the testkit's {@link
     * io.mpsecrets.testkit.MockServer} serves every mock on one port and names each mock's type in its API.
     */
    private static final Set<String> FACADES = Set.of("io.mpsecrets.testkit.MockServer");

    @Test
    void noClassReachesIntoMoreThanSixOtherPackages() {
        Map<String, Set<String>> reach = new TreeMap<>();
        for (JavaClass javaClass : classes) {
            JavaClass top = javaClass;
            while (top.getEnclosingClass().isPresent()) {
                top = top.getEnclosingClass().get();
            }
            Set<String> packages = reach.computeIfAbsent(top.getName(), n -> new TreeSet<>());
            for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                String target = dependency.getTargetClass().getPackageName();
                if ((target.equals("io.mpsecrets") || target.startsWith("io.mpsecrets."))
                        && !target.equals(top.getPackageName())) {
                    packages.add(target);
                }
            }
        }
        Map<String, Set<String>> tooWide = new TreeMap<>();
        reach.forEach((name, packages) -> {
            if (packages.size() > MAX_OTHER_PACKAGES && !FACADES.contains(name)) {
                tooWide.put(name, packages);
            }
        });
        assertThat(tooWide)
                .as("classes reaching into more than " + MAX_OTHER_PACKAGES + " other mp-secrets packages")
                .isEmpty();
    }

    /** The backend modules' packages; a new backend module adds its own here. */
    private static final String[] BACKEND_PACKAGES = {
        "io.mpsecrets.aws", "io.mpsecrets.vault", "io.mpsecrets.azure", "io.mpsecrets.gcp", "io.mpsecrets.jdbc"
    };

    private static boolean inBackend(String packageName) {
        for (String backend : BACKEND_PACKAGES) {
            if (packageName.equals(backend) || packageName.startsWith(backend + ".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A backend needs the api only: everything of mp-secrets a backend module uses is in {@code mpsecrets-api} (the
     * SPIs, the values, the backend kit), so a backend written outside the project needs nothing more either.
     */
    @Test
    void backendsNeedOnlyTheApi() {
        Map<String, Set<String>> outside = new TreeMap<>();
        long backendClasses = 0;
        for (JavaClass javaClass : classes) {
            if (!inBackend(javaClass.getPackageName())) {
                continue;
            }
            backendClasses++;
            for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                String targetPackage = target.getPackageName();
                if ((targetPackage.equals("io.mpsecrets") || targetPackage.startsWith("io.mpsecrets."))
                        && !inApi(target)
                        && !inBackend(targetPackage)) {
                    outside.computeIfAbsent(javaClass.getName(), n -> new TreeSet<>())
                            .add(target.getName());
                }
            }
        }
        assertThat(backendClasses).as("the backend modules were imported").isGreaterThan(20);
        assertThat(outside)
                .as("backend classes using mp-secrets classes outside the api")
                .isEmpty();
    }

    @Test
    void theCoreHasNoAwsSdk() {
        assertThat(classes.stream()
                        .filter(c -> !c.getPackageName().startsWith("io.mpsecrets.aws")
                                && !c.getPackageName().startsWith("io.mpsecrets.cli")
                                && !c.getPackageName().startsWith("io.mpsecrets.testkit"))
                        .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                        .map(d -> d.getTargetClass().getPackageName())
                        .filter(p -> p.startsWith("software.amazon")))
                .as("only the aws module (and the CLI that bundles it) uses the AWS SDK")
                .isEmpty();
    }
}
