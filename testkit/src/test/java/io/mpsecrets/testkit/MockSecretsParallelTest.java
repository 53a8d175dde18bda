package io.mpsecrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@link MockSecrets} under JUnit's parallel execution ({@code junit.jupiter.execution.parallel}): test classes run by
 * JUnit's own engine, two at a time, each reading its own secret through the settings it finds in the system
 * properties (as a config built from them does) after the other class has begun; afterwards every setting is what it
 * was before, a value the user had and an absent one alike.
 */
class MockSecretsParallelTest {

    static final String FIRST_VALUE = "{\"password\":\"first-" + LeakGuard.CANARY + "\"}";
    static final String SECOND_VALUE = "{\"password\":\"second-" + LeakGuard.CANARY + "\"}";

    /** What the classes set (the mocks' settings, the AWS test profiles, the declared properties). */
    private static final List<String> WATCHED = List.of(
            "mpsecrets.aws.endpoint",
            "mpsecrets.aws.region",
            "mpsecrets.aws.profile",
            "mpsecrets.kms.aws.endpoint",
            "mpsecrets.ssm.endpoint",
            "mpsecrets.vault.address",
            "mpsecrets.vault.token",
            "aws.sharedCredentialsFile",
            "aws.configFile",
            "first.password",
            "second.password",
            "outer.password",
            "inner.password");

    /** Settings the user had before the classes ran: they are theirs again afterwards. */
    private static final String USERS_REGION = "eu-west-3";

    private static final String USERS_AWS = "/home/user/.aws/";

    // The classes below are run by the launcher in these tests, not by Surefire (which leaves nested classes out).

    @MockSecrets
    @MockSecret(name = "first/db", value = FIRST_VALUE, property = "first.password", field = "password")
    static class First {
        @Test
        void readsItsOwnSecretThroughTheSettings(MockServer server) throws Exception {
            Meeting.arrive(First.class, Second.class);
            assertOwn(server, "first/db", FIRST_VALUE, "first.password", "second.password");
        }
    }

    @MockSecrets
    @MockSecret(name = "second/db", value = SECOND_VALUE, property = "second.password", field = "password")
    static class Second {
        @Test
        void readsItsOwnSecretThroughTheSettings(MockServer server) throws Exception {
            Meeting.arrive(Second.class, First.class);
            assertOwn(server, "second/db", SECOND_VALUE, "second.password", "first.password");
        }
    }

    /** The extension registered without {@link MockSecrets}, so without its resource lock. */
    @ExtendWith(MockSecretsExtension.class)
    @MockSecret(name = "first/db", value = FIRST_VALUE, property = "first.password", field = "password")
    static class FirstUnlocked {
        @Test
        void readsItsOwnSecretThroughTheSettings(MockServer server) throws Exception {
            Meeting.arrive(FirstUnlocked.class, SecondUnlocked.class);
            assertOwn(server, "first/db", FIRST_VALUE, "first.password", "second.password");
        }
    }

    @ExtendWith(MockSecretsExtension.class)
    @MockSecret(name = "second/db", value = SECOND_VALUE, property = "second.password", field = "password")
    static class SecondUnlocked {
        @Test
        void readsItsOwnSecretThroughTheSettings(MockServer server) throws Exception {
            Meeting.arrive(SecondUnlocked.class, FirstUnlocked.class);
            assertOwn(server, "second/db", SECOND_VALUE, "second.password", "first.password");
        }
    }

    @MockSecrets
    @MockSecret(name = "outer/db", value = FIRST_VALUE, property = "outer.password", field = "password")
    static class Outer {
        @Test
        void readsItsOwnSecret(MockServer server) throws Exception {
            assertOwn(server, "outer/db", FIRST_VALUE, "outer.password", "inner.password");
        }

        @Nested
        @MockSecret(name = "inner/db", value = SECOND_VALUE, property = "inner.password", field = "password")
        class Inner {
            @Test
            void sharesTheEnclosingClassesMockAndAddsItsOwnProperty(MockServer server) throws Exception {
                assertOwn(server, "inner/db", SECOND_VALUE, "inner.password", "none");
                assertEquals("${aws::outer/db#password}", System.getProperty("outer.password"));
            }
        }

        @Test
        void afterTheNestedClassItsPropertyIsGone(MockServer server) throws Exception {
            assertOwn(server, "outer/db", FIRST_VALUE, "outer.password", "inner.password");
        }
    }

    /** A declaration the mock refuses: the class fails before its tests, after taking the settings. */
    @MockSecrets
    @MockKey(alias = "orders")
    @MockSecret(name = "broken/db", value = FIRST_VALUE, property = "first.password", field = "password")
    static class Broken {
        @Test
        void neverRuns() {}
    }

    /**
     * What a test whose code builds its config from the system properties sees: the settings name this class's mock,
     * whose secret the real AWS SDK client reads with the installed test profile; its declared property is set and
     * the other class's is not.
     */
    static void assertOwn(MockServer server, String name, String value, String property, String othersProperty)
            throws IOException {
        String endpoint = server.endpoint().toString();
        for (String setting : List.of(
                "mpsecrets.aws.endpoint",
                "mpsecrets.kms.aws.endpoint",
                "mpsecrets.ssm.endpoint",
                "mpsecrets.vault.address")) {
            assertEquals(endpoint, System.getProperty(setting), setting + " names another mock");
        }
        assertEquals("${aws::" + name + "#password}", System.getProperty(property));
        assertNull(System.getProperty(othersProperty), "another class's property is set");
        assertEquals(
                TestProfiles.credentialsFile(),
                Files.readString(Path.of(System.getProperty("aws.sharedCredentialsFile"))));
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(System.getProperty("mpsecrets.aws.endpoint")))
                .region(Region.of(System.getProperty("mpsecrets.aws.region")))
                .credentialsProvider(ProfileCredentialsProvider.create(System.getProperty("mpsecrets.aws.profile")))
                .build()) {
            // compared, never printed: the values carry the canary
            assertTrue(value.equals(client.getSecretValue(b -> b.secretId(name)).secretString()), "not its secret");
        }
    }

    /**
     * Where two classes meet: each one's test waits until the other class has begun its tests or is done, so that two
     * classes the engine runs at once overlap; a class the engine holds back until this one is done never comes, and
     * the test goes on after {@code alone}.
     */
    private static final class Meeting {

        private static final Set<String> SETTLED = new HashSet<>();
        private static Duration alone = Duration.ZERO;

        static synchronized void reset(Duration wait) {
            SETTLED.clear();
            alone = wait;
        }

        static synchronized void settle(String className) {
            SETTLED.add(className);
            Meeting.class.notifyAll();
        }

        static void arrive(Class<?> self, Class<?> other) throws InterruptedException {
            synchronized (Meeting.class) {
                settle(self.getName());
                long deadline = System.nanoTime() + alone.toNanos();
                long left;
                while (!SETTLED.contains(other.getName()) && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(Meeting.class, left);
                }
            }
        }
    }

    /** What the engine reported: the tests that passed, and each failed test or class with its error. */
    private record Outcome(List<String> passed, Map<String, Throwable> failed) {}

    private static Outcome runInParallel(Duration alone, Class<?>... classes) {
        Meeting.reset(alone);
        List<String> passed = new ArrayList<>();
        Map<String, Throwable> failed = new LinkedHashMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
                String where = id.getSource()
                        .map(source -> source instanceof MethodSource method
                                ? method.getJavaClass().getSimpleName() + "#" + method.getMethodName()
                                : source instanceof ClassSource type
                                        ? type.getJavaClass().getName()
                                        : "")
                        .orElse("");
                id.getSource()
                        .filter(ClassSource.class::isInstance)
                        .ifPresent(source -> Meeting.settle(((ClassSource) source).getClassName()));
                if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    if (id.isTest()) {
                        passed.add(where);
                    }
                } else {
                    failed.put(where, result.getThrowable().orElse(null));
                }
            }
        };
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .enableImplicitConfigurationParameters(false)
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2");
        for (Class<?> type : classes) {
            request.selectors(selectClass(type));
        }
        LauncherFactory.create().execute(request.build(), listener);
        return new Outcome(passed, failed);
    }

    private static Map<String, String> watched() {
        Map<String, String> values = new LinkedHashMap<>();
        WATCHED.forEach(name -> values.put(name, System.getProperty(name)));
        return values;
    }

    /**
     * Runs {@code run} with the user's region and AWS files set and the rest as found; puts back what was there.
     */
    private static void asTheUser(Runnable run) {
        Map<String, String> found = watched();
        try {
            System.setProperty("mpsecrets.aws.region", USERS_REGION);
            System.setProperty("aws.sharedCredentialsFile", USERS_AWS + "credentials");
            System.setProperty("aws.configFile", USERS_AWS + "config");
            Map<String, String> before = watched();
            run.run();
            assertEquals(before, watched(), "the settings are what they were before the classes ran");
            assertNull(System.getProperty("mpsecrets.aws.endpoint"), "a finished class's mock endpoint stays set");
        } finally {
            found.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    private static String report(Outcome outcome) {
        StringBuilder text = new StringBuilder();
        outcome.failed()
                .forEach((where, error) ->
                        text.append(where).append(": ").append(error).append('\n'));
        return text.toString();
    }

    @Test
    void twoMockSecretsClassesInParallelEachUseOnlyTheirOwnMockAndEverythingIsRestored() {
        asTheUser(() -> {
            // Run alone, a class would wait for the other as long as JUnit holds it back: a short while.
            Outcome outcome = runInParallel(Duration.ofSeconds(2), First.class, Second.class);
            assertTrue(outcome.failed().isEmpty(), report(outcome));
            assertThat(outcome.passed())
                    .containsExactlyInAnyOrder(
                            "First#readsItsOwnSecretThroughTheSettings", "Second#readsItsOwnSecretThroughTheSettings");
        });
    }

    @Test
    void withoutTheResourceLockTheSecondClassIsRefusedNamingBothAndTheFirstIsUndisturbed() {
        asTheUser(() -> {
            // Both start at once (nothing holds either back): the wait ends when the other is refused or running.
            Outcome outcome = runInParallel(Duration.ofSeconds(60), FirstUnlocked.class, SecondUnlocked.class);
            assertEquals(1, outcome.passed().size(), report(outcome));
            assertEquals(1, outcome.failed().size(), report(outcome));
            Map.Entry<String, Throwable> refused =
                    outcome.failed().entrySet().iterator().next();
            assertThat(refused.getKey())
                    .as("a class is refused, before its tests")
                    .doesNotContain("#");
            assertThat(refused.getValue().getMessage())
                    .contains(FirstUnlocked.class.getName(), SecondUnlocked.class.getName())
                    .contains("@MockSecrets")
                    .contains("Resources.SYSTEM_PROPERTIES");
            LeakGuard.assertNoLeak(refused.getValue().getMessage());
        });
    }

    @Test
    void aClassThatFailsBeforeItsTestsLetsGoOfTheSettings() {
        asTheUser(() -> {
            Outcome broken = runInParallel(Duration.ZERO, Broken.class);
            assertThat(broken.failed()).containsOnlyKeys(Broken.class.getName());
            assertThat(broken.failed().get(Broken.class.getName())).hasMessageContaining("alias/");
            assertEquals(USERS_REGION, System.getProperty("mpsecrets.aws.region"));
            Outcome next = runInParallel(Duration.ZERO, First.class);
            assertTrue(next.failed().isEmpty(), report(next));
            assertThat(next.passed()).containsExactly("First#readsItsOwnSecretThroughTheSettings");
        });
    }

    @Test
    void aNestedClassSharesItsEnclosingClassesSettings() {
        asTheUser(() -> {
            Outcome outcome = runInParallel(Duration.ZERO, Outer.class);
            assertTrue(outcome.failed().isEmpty(), report(outcome));
            assertThat(outcome.passed()).hasSize(3);
        });
    }
}
