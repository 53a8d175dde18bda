package io.mpsecrets.testkit.aws;

import io.mpsecrets.testkit.files.TempDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named AWS credential profiles for tests against the mock services, which identify the caller by the access key
 * id: {@value #WORKER1} ({@value #WORKER1_KEY}) and {@value #WORKER2} ({@value #WORKER2_KEY}). {@link #open()}
 * writes a credentials file and points the AWS SDK at it (system properties {@code aws.sharedCredentialsFile} and
 * {@code aws.configFile}) until it is closed ({@link #install()}: for the rest of the JVM), so no developer's
 * {@code ~/.aws} reaches a test; code under test picks a profile the way users do
 * ({@code mpsecrets.kms.aws.profile=worker2}, {@code --profile worker1}).
 */
public final class TestProfiles {

    public static final String WORKER1 = "worker1";
    public static final String WORKER1_KEY = "AKIDWORKER1";
    public static final String WORKER2 = "worker2";
    public static final String WORKER2_KEY = "AKIDWORKER2";

    /** The SDK's system properties for its credentials file and its config file. */
    private static final String[] PROPERTIES = {"aws.sharedCredentialsFile", "aws.configFile"};

    // Guarded by the class's lock.
    private static Path[] files;
    private static int holders;
    private static Map<String, String> previous; // before the first open installation; a null value: absent
    private static boolean forTheJvm;

    private TestProfiles() {}

    /** The credentials file's text: each profile with its access key id and a dummy secret key. */
    public static String credentialsFile() {
        return "[" + WORKER1 + "]\naws_access_key_id = " + WORKER1_KEY
                + "\naws_secret_access_key = not-a-real-secret-key\n\n" + "[" + WORKER2 + "]\naws_access_key_id = "
                + WORKER2_KEY + "\naws_secret_access_key = not-a-real-secret-key\n";
    }

    /**
     * Writes {@code credentials} and {@code config} into the directory given as the only argument, for a JVM started
     * with {@code -Daws.sharedCredentialsFile} and {@code -Daws.configFile} pointing there (an application server
     * under test).
     */
    public static void main(String[] args) throws IOException {
        write(Files.createDirectories(Path.of(args[0])));
    }

    /** Writes {@code credentials} and an empty-profile {@code config} into {@code dir}; returns the two files. */
    private static Path[] write(Path dir) throws IOException {
        return new Path[] {
            Files.writeString(dir.resolve("credentials"), credentialsFile()),
            Files.writeString(dir.resolve("config"), "[default]\n")
        };
    }

    /**
     * Points the AWS SDK at the test profiles for the rest of this JVM (a server's, a benchmark's): the files are
     * written once per JVM and the system properties set, and nothing restores them. A test uses {@link #open()}.
     */
    public static synchronized Path install() {
        Path[] written = files();
        point(written);
        forTheJvm = true;
        return written[0];
    }

    /**
     * Points the AWS SDK at the test profiles until the returned handle is closed: while any handle is open the two
     * system properties name the test profiles (set again if something changed them), and when the last one closes
     * they are what they were before the first (set again, or cleared if they were absent), unless {@link #install()}
     * made them the JVM's. Classes that overlap (JUnit's parallel execution) share one installation.
     */
    public static synchronized Installed open() {
        Path[] written = files();
        if (holders == 0) {
            previous = new LinkedHashMap<>();
            for (String property : PROPERTIES) {
                previous.put(property, System.getProperty(property));
            }
        }
        point(written);
        holders++;
        return new Installed(written[0]);
    }

    /** An {@link #open()} installation of the test profiles; closing it (once counts) lets go of them. */
    public static final class Installed implements AutoCloseable {

        private final Path credentials;
        private boolean closed;

        private Installed(Path credentials) {
            this.credentials = credentials;
        }

        /** The credentials file. */
        public Path credentials() {
            return credentials;
        }

        @Override
        public void close() {
            synchronized (TestProfiles.class) {
                if (!closed) {
                    closed = true;
                    release();
                }
            }
        }
    }

    private static void release() {
        holders--;
        if (holders == 0 && !forTheJvm) {
            previous.forEach((property, value) -> {
                if (value == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, value);
                }
            });
        }
        if (holders == 0) {
            previous = null;
        }
    }

    private static void point(Path[] written) {
        System.setProperty(PROPERTIES[0], written[0].toString());
        System.setProperty(PROPERTIES[1], written[1].toString());
    }

    /** The two files, written into a temporary directory the first time and deleted when the JVM exits. */
    private static Path[] files() {
        if (files == null) {
            try {
                files = write(TempDirectory.removedAtExit("mpsecrets-aws-profiles"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
