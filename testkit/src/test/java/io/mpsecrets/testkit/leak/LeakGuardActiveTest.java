package io.mpsecrets.testkit.leak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Without extension auto-detection the guard would silently not run: prove it runs around this very test. */
class LeakGuardActiveTest {

    @Test
    void guardRunsAroundEveryTest(TestInfo info) {
        String method = info.getTestMethod().orElseThrow().getName();
        assertTrue(LeakGuard.currentTest().contains(method), "LeakGuardExtension did not run around this test");
    }
}
