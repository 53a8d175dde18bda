package io.mpsecrets.quarkus.runtime;

import io.mpsecrets.cdi.RotationContext;
import io.mpsecrets.cdi.RotationScoped;
import io.quarkus.arc.InjectableBean;
import io.quarkus.arc.InjectableContext;
import jakarta.enterprise.context.spi.Contextual;
import jakarta.enterprise.context.spi.CreationalContext;
import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link RotationScoped} for ArC: mp-secrets' {@link RotationContext} as an {@link InjectableContext}. ArC builds this
 * class itself (the deployment registers it); {@link MpSecretsLifecycle} hands the context its grace period and the
 * runtime's rotation events through {@link #scope()}.
 */
public final class ArcRotationContext implements InjectableContext {

    /**
     * One per application start: ArC builds one context per scope, and the lifecycle bean must reach it. A context
     * shut down with an earlier start in this class loader (dev mode's restarts, test classes with their own
     * resources) is replaced at the next start ({@link #started()}); it stays shut for what it held.
     */
    private static volatile RotationContext current = new RotationContext();

    static RotationContext scope() {
        return current;
    }

    /** The context for an application that is starting: a new one if the last was shut down. */
    static synchronized RotationContext started() {
        if (!current.isActive()) {
            current = new RotationContext();
        }
        return current;
    }

    @Override
    public Class<? extends Annotation> getScope() {
        return RotationScoped.class;
    }

    @Override
    public <T> T get(Contextual<T> contextual, CreationalContext<T> creational) {
        return current.get(contextual, creational);
    }

    @Override
    public <T> T get(Contextual<T> contextual) {
        return current.get(contextual);
    }

    @Override
    public boolean isActive() {
        return current.isActive();
    }

    @Override
    public void destroy(Contextual<?> contextual) {
        current.destroy(contextual);
    }

    @Override
    public void destroy() {
        current.shutdown();
    }

    @Override
    public ContextState getState() {
        Map<InjectableBean<?>, Object> instances = new HashMap<>();
        current.instances().forEach((contextual, instance) -> {
            if (contextual instanceof InjectableBean<?> bean) {
                instances.put(bean, instance);
            }
        });
        return () -> instances;
    }
}
