package io.mpsecrets.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The AWS test profiles installed until closed: shared by overlapping holders, then put back exactly. */
class TestProfilesTest {

    private static final String CREDENTIALS = "aws.sharedCredentialsFile";
    private static final String CONFIG = "aws.configFile";

    private String credentialsBefore;
    private String configBefore;

    @BeforeEach
    void remember() {
        credentialsBefore = System.getProperty(CREDENTIALS);
        configBefore = System.getProperty(CONFIG);
    }

    @AfterEach
    void putBack() {
        put(CREDENTIALS, credentialsBefore);
        put(CONFIG, configBefore);
    }

    private static void put(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    private static void assertInstalled(TestProfiles.Installed profiles) throws IOException {
        assertEquals(profiles.credentials().toString(), System.getProperty(CREDENTIALS));
        assertEquals(TestProfiles.credentialsFile(), Files.readString(Path.of(System.getProperty(CREDENTIALS))));
        assertEquals("[default]\n", Files.readString(Path.of(System.getProperty(CONFIG))));
    }

    @Test
    void theUsersOwnFilesAreTheirsAgainWhenTheLastHolderCloses() throws IOException {
        System.setProperty(CREDENTIALS, "/home/user/.aws/credentials");
        System.setProperty(CONFIG, "/home/user/.aws/config");
        TestProfiles.Installed first = TestProfiles.open();
        assertInstalled(first);
        TestProfiles.Installed second = TestProfiles.open(); // a class running beside the first
        first.close();
        assertInstalled(second);
        first.close(); // once counts
        assertInstalled(second);
        second.close();
        assertEquals("/home/user/.aws/credentials", System.getProperty(CREDENTIALS));
        assertEquals("/home/user/.aws/config", System.getProperty(CONFIG));
    }

    @Test
    void absentPropertiesAreAbsentAgain() throws IOException {
        System.clearProperty(CREDENTIALS);
        System.clearProperty(CONFIG);
        try (TestProfiles.Installed profiles = TestProfiles.open()) {
            assertInstalled(profiles);
        }
        assertNull(System.getProperty(CREDENTIALS));
        assertNull(System.getProperty(CONFIG));
    }

    @Test
    void aHolderFindsTheProfilesEvenIfSomethingChangedThemWhileAnotherHeldThem() throws IOException {
        System.clearProperty(CREDENTIALS);
        try (TestProfiles.Installed first = TestProfiles.open()) {
            System.setProperty(CREDENTIALS, "/elsewhere/credentials");
            try (TestProfiles.Installed second = TestProfiles.open()) {
                assertInstalled(second);
            }
        }
        assertNull(System.getProperty(CREDENTIALS));
    }
}
