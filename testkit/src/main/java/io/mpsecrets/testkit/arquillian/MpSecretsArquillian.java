package io.mpsecrets.testkit.arquillian;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;

/**
 * The mock services of a test run with Arquillian: one {@link MockServer} per test JVM, on a free loopback port,
 * started by the extension before the first test class (and by {@link #server()} if a {@code @Deployment} method
 * asks first, to write its address or a value encrypted under a mock key into the archive).
 */
public final class MpSecretsArquillian {

    private static MockServer server;

    private MpSecretsArquillian() {}

    /** The test run's mock server, started on first use; the AWS test profiles are installed in this JVM. */
    public static synchronized MockServer server() {
        if (server == null) {
            TestProfiles.install();
            MockServer started = MockServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "mpsecrets-mock-stop"));
            server = started;
        }
        return server;
    }

    static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
