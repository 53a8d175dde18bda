package io.mpsecrets.testkit.leak;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard must catch a leak in every channel it claims to watch, and in every encoding. */
class LeakGuardTest {

    private static final Logger LOG = Logger.getLogger(LeakGuardTest.class.getName());

    @AfterEach
    void forgetDeliberateLeaks() {
        // Each test leaks on purpose and checks that the guard saw it; the extension must not fail it afterwards.
        OutputCapture.get().clear();
    }

    private static void assertCaught() {
        AssertionError error =
                assertThrows(AssertionError.class, () -> LeakGuard.check(LeakGuard.capturedOutput(), "test"));
        assertFalse(error.getMessage().contains(LeakGuard.CANARY), "the report must not repeat the value");
    }

    @Test
    void cleanOutputPasses() {
        System.out.println("nothing secret here");
        LOG.info("db.password decrypted with key local:dev-1");
        assertDoesNotThrow(() -> LeakGuard.check(LeakGuard.capturedOutput(), "test"));
    }

    @Test
    void catchesStdout() {
        System.out.println("value=" + LeakGuard.CANARY);
        assertCaught();
    }

    @Test
    void catchesStderr() {
        System.err.print(LeakGuard.CANARY);
        System.err.flush();
        assertCaught();
    }

    @Test
    void catchesLogParametersAndThrown() {
        LOG.log(Level.INFO, "no placeholder here", new Object[] {LeakGuard.CANARY});
        assertCaught();
        OutputCapture.get().clear();
        LOG.log(Level.WARNING, "failed", new IllegalStateException("inner " + LeakGuard.CANARY));
        assertCaught();
    }

    @Test
    void catchesDebugLogsOfTheProject() {
        Logger.getLogger("io.mpsecrets.envelope").fine("debug " + LeakGuard.CANARY);
        assertCaught();
    }

    @Test
    void catchesEncodedForms() {
        byte[] canary = ("xy" + LeakGuard.CANARY).getBytes(StandardCharsets.UTF_8);
        System.out.println(Base64.getUrlEncoder().encodeToString(canary));
        assertCaught();
        OutputCapture.get().clear();
        System.out.println(
                Base64.getEncoder().encodeToString(("z" + LeakGuard.CANARY).getBytes(StandardCharsets.UTF_8)));
        assertCaught();
        OutputCapture.get().clear();
        System.out.println(HexFormat.of().formatHex(LeakGuard.CANARY.getBytes(StandardCharsets.UTF_8)));
        assertCaught();
    }

    @Test
    void catchesWatchedBytesAndText() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        LeakGuard.watch(key);
        LeakGuard.watch("another-secret-value");
        System.out.println(Base64.getEncoder().encodeToString(key));
        assertCaught();
        OutputCapture.get().clear();
        System.out.println("another-secret-value");
        assertCaught();
    }

    @Test
    void aValueTheLogMaskReplacedIsStillALeakUnlessTheTestExpectsIt() {
        LOG.info("connecting with ***db.password***");
        assertCaught();
        LeakGuard.expectMasked();
        LeakGuard.check(LeakGuard.capturedOutput(), "test");
        LeakGuard.reset();
        OutputCapture.get().clear();
        LOG.info("a list: *** not a marker *** and **bold**");
        LeakGuard.check(LeakGuard.capturedOutput(), "test");
    }

    @Test
    void catchesExceptionCausesAndToString() {
        Exception wrapped = new RuntimeException("outer", new IllegalArgumentException(LeakGuard.CANARY));
        assertThrows(AssertionError.class, () -> LeakGuard.assertNoLeak(wrapped));
        Object leaky = new Object() {
            @Override
            public String toString() {
                return "Holder[" + LeakGuard.CANARY + "]";
            }
        };
        assertThrows(AssertionError.class, () -> LeakGuard.assertNoLeak(leaky));
        assertDoesNotThrow(() -> LeakGuard.assertNoLeak(new RuntimeException("clean")));
    }

    @Test
    void extensionScansWhatATestThrows() {
        LeakGuardExtension extension = new LeakGuardExtension();
        Throwable leaky = new IllegalStateException(LeakGuard.CANARY);
        AssertionError error =
                assertThrows(AssertionError.class, () -> extension.handleTestExecutionException(null, leaky));
        assertTrue(error.getMessage().contains("secret leaked"));
        Throwable clean = new IllegalStateException("clean");
        Throwable rethrown =
                assertThrows(IllegalStateException.class, () -> extension.handleTestExecutionException(null, clean));
        assertTrue(rethrown == clean);
    }
}
