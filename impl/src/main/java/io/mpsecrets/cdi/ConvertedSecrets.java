package io.mpsecrets.cdi;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.config.RawValues;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.validate.SecretNames;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Provider;
import java.lang.reflect.Member;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Injection points that convert a secret to something other than text ({@code int}, {@code Duration}, a
 * {@code URI}, ...). A converter that fails quotes the value it could not convert in its error (SmallRye's do), and
 * newer SmallRye versions log values they converted, so a secret should be injected as {@code String} and converted
 * by the application. Each such injection point is named in one warning at deployment.
 */
final class ConvertedSecrets {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.cdi");

    private record Converted(String member, String property, String type) {}

    private final List<Converted> converted = new CopyOnWriteArrayList<>();

    /** Remembers a {@code @ConfigProperty} injection point whose type is not text. */
    void observe(InjectionPoint point) {
        Optional<ConfigProperty> qualifier = point.getQualifiers().stream()
                .filter(ConfigProperty.class::isInstance)
                .map(ConfigProperty.class::cast)
                .findFirst();
        if (qualifier.isEmpty() || textual(point.getType()) || point.getMember() == null) {
            return;
        }
        Member member = point.getMember();
        String property = qualifier.get().name().isEmpty()
                ? member.getDeclaringClass().getCanonicalName() + "." + member.getName()
                : qualifier.get().name();
        converted.add(new Converted(
                member.getDeclaringClass().getName() + "." + member.getName(),
                property,
                point.getType()
                        .getTypeName()
                        .replace("java.lang.", "")
                        .replace("java.time.", "")
                        .replace("java.util.", "")));
    }

    /** Warns for each remembered injection point whose property is a secret. */
    void warn(Config config, SecretsRuntime runtime) {
        Predicate<String> isStore = RawValues.stores(runtime.backends());
        SecretNames names = SecretNames.read(new Settings(name -> config.getOptionalValue(name, String.class)));
        for (Converted point : converted) {
            String raw = RawValues.raw(config, point.property()).orElse(null);
            if (RawValues.needsMpSecrets(raw, isStore) || (raw != null && names.matches(point.property()))) {
                LOG.warning(LogSafe.escape(
                        "mp-secrets: " + point.member() + " converts the secret property '" + point.property()
                                + "' to " + point.type()
                                + ": a converter that fails quotes the value in its error, and SmallRye may"
                                + " log a value it converted; inject secrets as String and convert them in "
                                + "code (docs/cdi.md)"));
            }
        }
        converted.clear();
    }

    /** String, or String in a Supplier, Provider, Instance or Optional. */
    private static boolean textual(Type type) {
        if (type == String.class || type == CharSequence.class) {
            return true;
        }
        if (type instanceof ParameterizedType parameterized && parameterized.getActualTypeArguments().length == 1) {
            Type raw = parameterized.getRawType();
            return (raw == Supplier.class || raw == Provider.class || raw == Instance.class || raw == Optional.class)
                    && textual(parameterized.getActualTypeArguments()[0]);
        }
        return false;
    }
}
