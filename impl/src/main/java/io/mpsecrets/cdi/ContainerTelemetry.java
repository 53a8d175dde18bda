package io.mpsecrets.cdi;

import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Optional;

/**
 * The container's {@code io.opentelemetry.api.OpenTelemetry} bean (MicroProfile Telemetry, Quarkus' OpenTelemetry
 * extension), found by the type's name so that mp-secrets loads where the API is absent.
 */
public final class ContainerTelemetry {

    static final String TYPE = "io.opentelemetry.api.OpenTelemetry";

    private ContainerTelemetry() {}

    /** The bean, or empty where the API or the bean is missing. */
    public static Optional<Object> of(BeanManager beanManager) {
        try {
            Class<?> type = Class.forName(TYPE, false, ContainerTelemetry.class.getClassLoader());
            var beans = beanManager.getBeans(type);
            if (beans.isEmpty()) {
                return Optional.empty();
            }
            var bean = beanManager.resolve(beans);
            return Optional.ofNullable(beanManager.getReference(bean, type, beanManager.createCreationalContext(bean)));
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }
}
