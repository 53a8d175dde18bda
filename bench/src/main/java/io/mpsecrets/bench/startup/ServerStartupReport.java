package io.mpsecrets.bench.startup;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A server's start with mp-secrets against the same application with plain values: the orders application's token
 * endpoint (its classes as the build packaged them) deployed on Open Liberty and on WildFly, timed from the server's
 * process start to the first 200 answer of {@code POST /orders/api/tokens} (which signs with
 * {@code tokens.signing-key}). The plain variant carries its 50 values in plain text and no mp-secrets; the
 * second the same values and mp-secrets' jars in {@code WEB-INF/lib} (what the jars cost by themselves); the third
 * mp-secrets, a local keyring and the same 50 values as {@code ENC(...)}, the signing key among them, so its first
 * answer pays for mp-secrets' classes, its config interceptor and a decryption.
 *
 * <p>Each variant has a server of its own (a Liberty user directory, a WildFly base directory) that keeps its
 * caches between runs, as a server restarted in production does; the first run of each is not counted. Runs
 * alternate between the variants, in a shuffled order each round; the report gives medians of wall-clock time and
 * of CPU time (user + system of the server's process tree, from {@code /proc}, read at the first 200), and the
 * median and quartiles of the round-by-round CPU ratios ("paired": a round's variants start within a minute of each
 * other, so the machine's drift moves them less). {@code -Dservers=liberty} (or {@code wildfly}) runs one server
 * only, to spend the runs on it. The servers are the ones the examples module's build installs:
 *
 * <pre>
 * mvn -B -pl examples -am pre-integration-test -DskipTests
 * mvn -B -pl bench -am -DskipTests package
 * java -cp bench/target/benchmarks.jar io.mpsecrets.bench.startup.ServerStartupReport \
 *     examples/target bench/target/server-startup [runs]
 * </pre>
 */
public final class ServerStartupReport {

    private static final int VALUES = 50;
    private static final String ENCRYPTED = "mp-secrets, ENC values";
    private static final String APP = "orders-startup";
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    /** Linux's clock ticks per second for /proc times (USER_HZ, 100 on every Linux the JDK runs on). */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** A server product: how to lay out one variant's server and the command that starts it. */
    private interface Server {
        String name();

        /** A short name for directories. */
        String id();

        /** The server's main log, where mp-secrets' audit lines go. */
        Path log(Path dir);

        /** Makes {@code dir} a server of this product with {@code war} deployed, listening on {@code port}. */
        void prepare(Path dir, Path war, int port) throws IOException;

        /** The command that runs the server in {@code dir} in the foreground. */
        ProcessBuilder command(Path dir, int port) throws IOException;
    }

    private record Variant(Server server, String name, Path war, Path dir, int port) {}

    private record Sample(long wallMillis, long cpuMillis) {}

    private ServerStartupReport() {}

    public static void main(String[] args) throws Exception {
        Path examplesTarget =
                Path.of(args.length > 0 ? args[0] : "examples/target").toAbsolutePath();
        Path out = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "bench/target/server-startup")
                .toAbsolutePath());
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path orders = examplesTarget.resolve("orders.war");
        Path wlp = examplesTarget.resolve("liberty/wlp");
        Path wildfly;
        try (Stream<Path> homes = Files.list(examplesTarget.resolve("wildfly"))) {
            wildfly = homes.filter(Files::isDirectory).findFirst().orElseThrow();
        }

        Path keyring = out.resolve("keyring.json");
        Files.deleteIfExists(keyring);
        LocalKeyring.generate("server-startup").writeTo(keyring, false);
        // The application as it is (plain values, no mp-secrets), with mp-secrets' jars but the same plain values
        // (what the jars cost by themselves: the server scans them, CDI runs the extension), and with ENC values.
        Map<String, Path> wars = new LinkedHashMap<>();
        wars.put("plain values", war(orders, out.resolve("plain/orders.war"), plainConfig(), false));
        wars.put("mp-secrets, plain values", war(orders, out.resolve("jars/orders.war"), plainConfig(), true));
        wars.put(ENCRYPTED, war(orders, out.resolve("secrets/orders.war"), encryptedConfig(keyring), true));

        List<String> only =
                List.of(System.getProperty("servers", "liberty,wildfly").split(","));
        List<Server> servers = Stream.<Server>of(new Liberty(wlp), new WildFly(wildfly))
                .filter(server -> only.contains(server.id()))
                .toList();
        List<Variant> variants = new ArrayList<>();
        for (Server server : servers) {
            for (Map.Entry<String, Path> war : wars.entrySet()) {
                Path dir = out.resolve(
                        server.id() + "-" + war.getValue().getParent().getFileName());
                int port = freePort();
                server.prepare(dir, war.getValue(), port);
                variants.add(new Variant(server, war.getKey(), war.getValue(), dir, port));
            }
        }
        Map<Variant, List<Sample>> samples = new LinkedHashMap<>();
        variants.forEach(v -> samples.put(v, new ArrayList<>()));
        Random order = new Random(31);
        for (int round = -1; round < runs; round++) { // the first round fills the servers' caches, not counted
            // Each round in its own order: a start right after another server's stop (or first in a round) may run
            // slower or faster, and a fixed order would give that to the same variant every round.
            List<Variant> shuffled = new ArrayList<>(variants);
            Collections.shuffle(shuffled, order);
            for (Variant variant : shuffled) {
                Sample sample = start(variant);
                System.out.printf(
                        Locale.ROOT,
                        "round %d %s %s: %d ms, CPU %d ms%n",
                        round,
                        variant.server().name(),
                        variant.name(),
                        sample.wallMillis(),
                        sample.cpuMillis());
                if (round >= 0) {
                    samples.get(variant).add(sample);
                }
            }
        }
        report(servers, variants, samples, runs);
    }

    /** Starts the variant's server, waits for the first 200 and stops the server again. */
    private static Sample start(Variant variant) throws IOException, InterruptedException {
        Path log = variant.dir().resolve("console.log");
        Files.deleteIfExists(variant.server().log(variant.dir())); // checkDecrypted reads this start's lines only
        ProcessBuilder builder = variant.server().command(variant.dir(), variant.port());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + variant.port() + "/orders/api/tokens");
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("subject=startup"))
                    .build();
            while (true) {
                if (System.nanoTime() - started > START_LIMIT.toNanos()) {
                    throw new IllegalStateException(variant.server().name() + " (" + variant.name()
                            + ") gave no 200 within " + START_LIMIT + "; see " + log);
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            variant.server().name() + " exited with " + process.exitValue() + "; see " + log);
                }
                int status = status(request);
                if (status == 200) {
                    long wall = (System.nanoTime() - started) / 1_000_000;
                    Sample sample = new Sample(wall, cpuMillis(process.toHandle()));
                    checkDecrypted(variant);
                    return sample;
                }
                // Not listening yet (-1), or listening before the application is deployed (404, 503): poll on.
                // An error the application gives once deployed (500) is a failed start.
                if (status >= 500 && status != 503) {
                    throw new IllegalStateException(
                            variant.server().name() + " (" + variant.name() + ") answered " + status + "; see " + log);
                }
                Thread.sleep(5);
            }
        } finally {
            stop(process);
        }
    }

    /**
     * With mp-secrets, the 200 must come from a decrypted key: a server where mp-secrets did not run would sign with
     * the {@code ENC(...)} text itself and answer 200 too, and the report would time the wrong thing.
     */
    private static void checkDecrypted(Variant variant) throws IOException, InterruptedException {
        if (!variant.name().equals(ENCRYPTED)) {
            return;
        }
        Path log = variant.server().log(variant.dir());
        for (int attempt = 0; attempt < 200; attempt++) { // the log is written asynchronously
            if (Files.exists(log)
                    && Files.readString(log, StandardCharsets.ISO_8859_1)
                            .contains("event=decrypted property=tokens.signing-key")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(variant.server().name()
                + " answered 200 without an audit line for decrypting tokens.signing-key in " + log);
    }

    private static int status(HttpRequest request) throws InterruptedException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    /** User + system time of the process and all its descendants (the start script and the server's JVM). */
    private static long cpuMillis(ProcessHandle root) throws IOException {
        long ticks = 0;
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        for (ProcessHandle handle : tree) {
            Path stat = Path.of("/proc", Long.toString(handle.pid()), "stat");
            String text;
            try {
                text = Files.readString(stat);
            } catch (IOException gone) {
                continue; // a short-lived helper of the start script that has exited
            }
            // Fields after the command name (which may hold spaces, in parentheses): utime is the 14th field.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return Math.round(ticks * 1000 / TICKS_PER_SECOND);
    }

    /** Stops the server's JVM and the script that started it, and waits until they are gone. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * Medians per application and their ratios to the plain one; and the median of the ratios round by round
     * ("paired"), which a machine whose load drifts during the run moves less: the applications of one round start
     * within a minute of each other.
     */
    private static void report(
            List<Server> servers, List<Variant> variants, Map<Variant, List<Sample>> samples, int runs) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Server start to the first 200 of POST /orders/api/tokens, %d values, medians of %d runs%n",
                VALUES,
                runs);
        System.out.printf(
                Locale.ROOT,
                "%-14s %-26s %10s %8s %10s %8s %8s %13s%n",
                "server",
                "application",
                "wall ms",
                "ratio",
                "CPU ms",
                "ratio",
                "paired",
                "paired q1-q3");
        for (Server server : servers) {
            List<Sample> base = null;
            for (Variant variant : variants) {
                if (variant.server() != server) {
                    continue;
                }
                List<Sample> mine = samples.get(variant);
                if (base == null) {
                    base = mine;
                }
                long wall = median(mine.stream().map(Sample::wallMillis).toList());
                long cpu = median(mine.stream().map(Sample::cpuMillis).toList());
                long baseWall = median(base.stream().map(Sample::wallMillis).toList());
                long baseCpu = median(base.stream().map(Sample::cpuMillis).toList());
                List<Double> paired = new ArrayList<>();
                for (int i = 0; i < mine.size(); i++) {
                    paired.add((double) mine.get(i).cpuMillis() / base.get(i).cpuMillis());
                }
                List<Double> sorted = paired.stream().sorted().toList();
                System.out.printf(
                        Locale.ROOT,
                        "%-14s %-26s %10d %7.2fx %10d %7.2fx %7.2fx %6.2f-%.2fx%n",
                        server.name(),
                        variant.name(),
                        wall,
                        (double) wall / baseWall,
                        cpu,
                        (double) cpu / baseCpu,
                        sorted.get(sorted.size() / 2),
                        sorted.get(sorted.size() / 4),
                        sorted.get(sorted.size() * 3 / 4));
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static Map<String, String> plainConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("tokens.ttl", "PT15M");
        config.put("tokens.signing-key", randomValue());
        for (int i = 1; i < VALUES; i++) {
            config.put("orders.value." + i, randomValue());
        }
        return config;
    }

    private static Map<String, String> encryptedConfig(Path keyring) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("mpsecrets.app", APP);
        config.put("mpsecrets.kms", "local");
        config.put("mpsecrets.kms.local.keyring", keyring.toString());
        config.put("tokens.ttl", "PT15M");
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyring);
                EnvelopeEncryptor encryptor =
                        new EnvelopeEncryptor(kms, "local", EncryptionContext.forApplication(APP))) {
            config.put(
                    "tokens.signing-key",
                    encryptor.encrypt(randomValue().getBytes(StandardCharsets.UTF_8), "tokens.signing-key"));
            for (int i = 1; i < VALUES; i++) {
                String property = "orders.value." + i;
                config.put(property, encryptor.encrypt(randomValue().getBytes(StandardCharsets.UTF_8), property));
            }
        }
        return config;
    }

    private static String randomValue() {
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * The token endpoint's part of the packaged orders WAR (its JAX-RS application, resource and signer, which know
     * nothing of mp-secrets, and JSON-P), with {@code config} as its microprofile-config.properties and, when
     * {@code withMpSecrets}, mp-secrets' api and core jars.
     */
    private static Path war(Path orders, Path target, Map<String, String> config, boolean withMpSecrets)
            throws IOException {
        Predicate<String> kept = name -> name.equals("WEB-INF/classes/io/mpsecrets/examples/OrdersApplication.class")
                || name.equals("WEB-INF/classes/io/mpsecrets/examples/TokenResource.class")
                || name.equals("WEB-INF/classes/io/mpsecrets/examples/TokenSigner.class")
                || name.startsWith("WEB-INF/lib/jakarta.json-api-")
                || name.startsWith("WEB-INF/lib/parsson-")
                || withMpSecrets
                        && (name.startsWith("WEB-INF/lib/mpsecrets-api-")
                                || name.startsWith("WEB-INF/lib/mpsecrets-impl-"));
        Files.createDirectories(target.getParent());
        StringBuilder properties = new StringBuilder();
        config.forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
        try (ZipFile source = new ZipFile(orders.toFile());
                OutputStream file = Files.newOutputStream(target);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            for (ZipEntry entry :
                    source.stream().filter(e -> kept.test(e.getName())).toList()) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = source.getInputStream(entry)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("WEB-INF/classes/META-INF/microprofile-config.properties"));
            zip.write(properties.toString().getBytes(StandardCharsets.ISO_8859_1));
            zip.closeEntry();
            // An empty beans.xml would make every class a bean; the annotated ones are what the orders WAR has.
        }
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Open Liberty as the examples' build installs it, a user directory per variant ({@code WLP_USER_DIR}). */
    private record Liberty(Path wlp) implements Server {
        @Override
        public String name() {
            return "Open Liberty";
        }

        @Override
        public String id() {
            return "liberty";
        }

        @Override
        public Path log(Path dir) {
            return dir.resolve("usr/servers/startup/logs/messages.log");
        }

        @Override
        public void prepare(Path dir, Path war, int port) throws IOException {
            Path server = Files.createDirectories(dir.resolve("usr/servers/startup"));
            Files.writeString(server.resolve("server.xml"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <server>
                        <featureManager>
                            <feature>cdi-4.0</feature>
                            <feature>restfulWS-3.1</feature>
                            <feature>mpConfig-3.1</feature>
                        </featureManager>
                        <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="${http.port}"
                                      httpsPort="-1"/>
                        <applicationMonitor updateTrigger="disabled" dropinsEnabled="true"/>
                    </server>
                    """);
            Files.createDirectories(server.resolve("dropins"));
            Files.copy(war, server.resolve("dropins/orders.war"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(server.resolve("bootstrap.properties"), "http.port=" + port + "\n");
        }

        @Override
        public ProcessBuilder command(Path dir, int port) {
            ProcessBuilder builder =
                    new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", "startup");
            builder.environment().put("WLP_USER_DIR", dir.resolve("usr").toString());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            return builder;
        }
    }

    /** WildFly as the examples' build unpacks it, a base directory per variant, its default standalone.xml. */
    private record WildFly(Path home) implements Server {
        @Override
        public String name() {
            return "WildFly";
        }

        @Override
        public String id() {
            return "wildfly";
        }

        @Override
        public Path log(Path dir) {
            return dir.resolve("log/server.log");
        }

        @Override
        public void prepare(Path dir, Path war, int port) throws IOException {
            Path configuration = Files.createDirectories(dir.resolve("configuration"));
            try (Stream<Path> files = Files.list(home.resolve("standalone/configuration"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, configuration.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path deployments = Files.createDirectories(dir.resolve("deployments"));
            Files.copy(war, deployments.resolve("orders.war"), StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public ProcessBuilder command(Path dir, int port) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(
                    home.resolve("bin/standalone.sh").toString(),
                    "-Djboss.server.base.dir=" + dir,
                    "-Djboss.bind.address=127.0.0.1",
                    "-Djboss.bind.address.management=127.0.0.1",
                    "-Djboss.http.port=" + port,
                    "-Djboss.https.port=" + freePort(),
                    "-Djboss.management.http.port=" + freePort(),
                    "-Djboss.management.https.port=" + freePort());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            return builder;
        }
    }
}
