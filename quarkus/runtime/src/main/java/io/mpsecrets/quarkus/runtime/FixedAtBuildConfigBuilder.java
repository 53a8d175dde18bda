package io.mpsecrets.quarkus.runtime;

import io.mpsecrets.config.FixedAtBuild;
import io.quarkus.runtime.configuration.ConfigBuilder;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Installs {@link FixedAtBuild#guard} in the running application's configs, with the names of the properties the
 * build fixed, which the build step wrote to {@value #RESOURCE}: such a property set at run time to an
 * {@code ENC(...)} value or a reference fails the start, naming it, instead of being decrypted into Quarkus'
 * "build time fixed" warning.
 */
public final class FixedAtBuildConfigBuilder implements ConfigBuilder {

    /** One property name per line. */
    public static final String RESOURCE = "META-INF/mpsecrets/fixed-at-build.txt";

    @Override
    public SmallRyeConfigBuilder configBuilder(SmallRyeConfigBuilder builder) {
        Set<String> names = names();
        if (names.isEmpty()) {
            return builder;
        }
        return builder.withInterceptorFactories(new ConfigSourceInterceptorFactory() {
            @Override
            public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
                return FixedAtBuild.guard(names);
            }

            @Override
            public OptionalInt getPriority() {
                return OptionalInt.of(FixedAtBuild.GUARD_PRIORITY);
            }
        });
    }

    private static Set<String> names() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = FixedAtBuildConfigBuilder.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Set.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException("mp-secrets cannot read " + RESOURCE, e);
        }
    }
}
