package io.mpsecrets.testkit.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named AWS credential profiles for tests against the mock services, which identify the caller by the access key
 * id: {@value #WORKER1} ({@value #WORKER1_KEY}) and {@value #WORKER2} ({@value #WORKER2_KEY}). {@link #install()}
 * writes a credentials file and points the AWS SDK at it (system properties {@code aws.sharedCredentialsFile} and
 * {@code aws.configFile}), so no developer's {@code ~/.aws} reaches a test; code under test picks a profile the
 * way users do ({@code mpsecrets.kms.aws.profile=worker2}, {@code --profile worker1}).
 */
public final class TestProfiles {

    public static final String WORKER1 = "worker1";
    public static final String WORKER1_KEY = "AKIDWORKER1";
    public static final String WORKER2 = "worker2";
    public static final String WORKER2_KEY = "AKIDWORKER2";

    private static Path credentials;

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

    /** Writes the files once per JVM and sets the SDK's system properties; returns the credentials file. */
    public static synchronized Path install() {
        if (credentials == null) {
            try {
                Path dir = Files.createTempDirectory("mpsecrets-aws-profiles");
                dir.toFile().deleteOnExit(); // registered first, deleted last
                Path[] files = write(dir);
                files[0].toFile().deleteOnExit();
                files[1].toFile().deleteOnExit();
                System.setProperty("aws.sharedCredentialsFile", files[0].toString());
                System.setProperty("aws.configFile", files[1].toString());
                credentials = files[0];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return credentials;
    }
}
