package io.mpsecrets.bench.startup;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The application whose start-up {@link StartupReport} times as a whole process: builds a SmallRye config from a
 * properties file with whatever interceptors and sources are on the class path (mp-secrets' or none), then reads
 * {@code value.0} to {@code value.<n-1>}, as an application injecting n properties does. Each value must read as
 * {@code secret-value-<i>...}: one still encrypted, or missing, fails the run.
 *
 * <pre>java -cp ... io.mpsecrets.bench.startup.StartupApp app.properties 50</pre>
 */
public final class StartupApp {

    private StartupApp() {}

    public static void main(String[] args) throws IOException {
        SmallRyeConfig config = build(Path.of(args[0]));
        read(config, 0, Integer.parseInt(args[1]));
    }

    /** The config an application builds from {@code properties}, with what is on the class path. */
    static SmallRyeConfig build(Path properties) throws IOException {
        Properties loaded = new Properties();
        try (InputStream in = Files.newInputStream(properties)) {
            loaded.load(in);
        }
        java.util.Map<String, String> values = new java.util.HashMap<>();
        loaded.forEach((k, v) -> values.put((String) k, (String) v));
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
    }

    /** Reads {@code value.from} to {@code value.<to-1>}, each of which must read as its plaintext. */
    static void read(SmallRyeConfig config, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!config.getValue("value." + i, String.class).startsWith("secret-value-" + i + "-")) {
                throw new IllegalStateException("value." + i + " did not read as its plaintext");
            }
        }
    }
}
