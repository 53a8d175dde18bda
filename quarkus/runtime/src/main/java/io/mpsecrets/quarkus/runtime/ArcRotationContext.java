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

    /** One per application: ArC builds one context per scope, and the lifecycle bean must reach it. */
    private static final RotationContext SCOPE = new RotationContext();

    static RotationContext scope() {
        return SCOPE;
    }

    @Override
    public Class<? extends Annotation> getScope() {
        return RotationScoped.class;
    }

    @Override
    public <T> T get(Contextual<T> contextual, CreationalContext<T> creational) {
        return SCOPE.get(contextual, creational);
    }

    @Override
    public <T> T get(Contextual<T> contextual) {
        return SCOPE.get(contextual);
    }

    @Override
    public boolean isActive() {
        return SCOPE.isActive();
    }

    @Override
    public void destroy(Contextual<?> contextual) {
        SCOPE.destroy(contextual);
    }

    @Override
    public void destroy() {
        SCOPE.shutdown();
    }

    @Override
    public ContextState getState() {
        Map<InjectableBean<?>, Object> instances = new HashMap<>();
        SCOPE.instances().forEach((contextual, instance) -> {
            if (contextual instanceof InjectableBean<?> bean) {
                instances.put(bean, instance);
            }
        });
        return () -> instances;
    }
}
