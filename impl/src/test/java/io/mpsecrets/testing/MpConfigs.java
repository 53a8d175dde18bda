package io.mpsecrets.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Configs built as an application's is (discovered interceptors and sources); their runtimes are closed with this. */
public final class MpConfigs implements AutoCloseable {

    private final List<SecretsRuntime> runtimes = new ArrayList<>();

    public SmallRyeConfig build(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    /** The runtime of the {@code index}th config built. */
    public SecretsRuntime runtime(int index) {
        return runtimes.get(index);
    }

    /** Polls until {@code read} gives {@code expected}, failing after {@code limit}; returns how long that took. */
    public static Duration until(Supplier<String> read, String expected, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (!expected.equals(read.get())) {
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(waited).as("still the old value after " + waited).isLessThan(limit);
            Thread.sleep(10);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        runtimes.forEach(SecretsRuntime::close);
        runtimes.clear();
    }
}
