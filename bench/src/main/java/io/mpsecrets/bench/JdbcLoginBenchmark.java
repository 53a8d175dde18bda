package io.mpsecrets.bench;

import io.mpsecrets.jdbc.MpSecretsDataSource;
import io.mpsecrets.jdbc.MpSecretsDriver;
import io.mpsecrets.testkit.files.TempDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a new physical connection pays for {@code mpsecrets-jdbc}: a login to an H2 database in this JVM (the cheapest
 * login there is, so the wrapper's share is the largest it can be) with the plain driver, through
 * {@code jdbc:mpsecrets:h2:...} and through {@link MpSecretsDataSource}, the credentials read from the {@code file}
 * store once and then served from the wrapper's cache (the steady state: a fetch happens once per TTL).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JdbcLoginBenchmark {

    private static final String PASSWORD = "bench-db-password-1";

    private Path secrets;
    private String url;
    private Connection keepOpen;
    private Properties plain;
    private Properties references;
    private org.h2.Driver h2;
    private MpSecretsDriver mpsecrets;
    private MpSecretsDataSource dataSource;

    @Setup
    public void setup() throws IOException, SQLException {
        url = "jdbc:h2:mem:bench-login";
        keepOpen = DriverManager.getConnection(url, "sa", "");
        try (Statement s = keepOpen.createStatement()) {
            s.execute("CREATE USER APP PASSWORD '" + PASSWORD + "'");
        }
        secrets = TempDirectory.removedAtExit("mpsecrets-bench-jdbc");
        Files.writeString(
                secrets.resolve("db"),
                "{\"username\":\"APP\",\"password\":\"" + PASSWORD + "\"}",
                StandardCharsets.UTF_8);
        plain = new Properties();
        plain.setProperty("user", "APP");
        plain.setProperty("password", PASSWORD);
        references = new Properties();
        references.setProperty("user", "${file::db#username}");
        references.setProperty("password", "${file::db#password}");
        references.setProperty("mpsecrets.file.dir", secrets.toString());
        h2 = new org.h2.Driver();
        mpsecrets = new MpSecretsDriver();
        dataSource = new MpSecretsDataSource(url, references);
    }

    @TearDown
    public void tearDown() throws IOException, SQLException {
        dataSource.close();
        MpSecretsDriver.closeAll();
        keepOpen.close();
        try (Stream<Path> files = Files.walk(secrets)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    public Connection plainDriverLogin() throws SQLException {
        Connection c = h2.connect(url, plain);
        c.close();
        return c;
    }

    @Benchmark
    public Connection mpsecretsDriverLogin() throws SQLException {
        Connection c = mpsecrets.connect("jdbc:mpsecrets:h2:mem:bench-login", references);
        c.close();
        return c;
    }

    @Benchmark
    public Connection mpsecretsDataSourceLogin() throws SQLException {
        Connection c = dataSource.getConnection();
        c.close();
        return c;
    }
}
