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
    private static TestProfiles.Installed profiles;

    private MpSecretsArquillian() {}

    /**
     * The test run's mock server, started on first use; the AWS test profiles are installed in this JVM until the
     * suite ends.
     */
    public static synchronized MockServer server() {
        if (server == null) {
            TestProfiles.Installed installed = TestProfiles.open();
            MockServer started;
            try {
                started = MockServer.start();
            } catch (RuntimeException | Error e) {
                installed.close();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "mpsecrets-mock-stop"));
            server = started;
            profiles = installed;
        }
        return server;
    }

    /** At the end of the suite: the mock stops and the AWS test profiles' system properties are put back. */
    static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
            profiles.close();
            profiles = null;
        }
    }
}
