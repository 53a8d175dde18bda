package io.mpsecrets.testkit.azure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mock's test CA (its private key among it) does not outlive the mock in the system's temporary directory. */
class MockAzureDirectoryTest {

    @Test
    void theDirectoryTheMockMadeIsRemovedAtClose() {
        Path dir;
        try (MockAzure azure = MockAzure.start()) {
            dir = azure.caBundle().getParent();
            assertTrue(Files.exists(azure.caBundle()));
            assertTrue(Files.exists(dir.resolve("mock-server.p12")));
        }
        assertFalse(Files.exists(dir), dir + " is removed");
    }

    @Test
    void aDirectoryTheCallerGaveStays(@TempDir Path dir) {
        try (MockAzure azure = MockAzure.start(dir, 0)) {
            assertTrue(Files.exists(azure.caBundle()));
        }
        assertTrue(Files.exists(dir.resolve("mock-server-ca.pem")));
    }
}
