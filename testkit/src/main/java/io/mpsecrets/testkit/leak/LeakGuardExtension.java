package io.mpsecrets.testkit.leak;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Runs the {@link LeakGuard} around every test: captures output from the start of the test, and at its end scans
 * what was captured and any exception the test threw for the canary and watched secrets.
 */
public final class LeakGuardExtension implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    @Override
    public void beforeEach(ExtensionContext context) {
        OutputCapture capture = OutputCapture.get();
        capture.attachToDetachedLoggers();
        capture.clear();
        LeakGuard.started(context.getUniqueId());
        if (context.getTestClass()
                .map(c -> c.isAnnotationPresent(ExpectsMaskedLogs.class))
                .orElse(false)) {
            LeakGuard.expectMasked();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        try {
            LeakGuard.assertNoLeak(throwable);
        } catch (AssertionError leak) {
            // The original would print the secret in the test report: report the leak instead.
            throw new AssertionError(leak.getMessage() + " (the test failed with "
                    + throwable.getClass().getName() + ")");
        }
        throw throwable;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            OutputCapture capture = OutputCapture.get();
            capture.attachToDetachedLoggers();
            LeakGuard.check(
                    capture.captured(),
                    "captured output (stdout, stderr, java.util.logging) of " + context.getDisplayName());
        } finally {
            LeakGuard.reset();
        }
    }
}
