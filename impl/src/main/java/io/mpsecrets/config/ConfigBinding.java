package io.mpsecrets.config;

import io.mpsecrets.backend.Backends;
import io.mpsecrets.runtime.SecretsRuntime;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What mp-secrets' interceptors, config source factory and CDI extension share for one config: the backends found
 * for it, the marker's tag table, and the runtime the resolver builds. Registered in {@link ConfigRegistry}.
 */
final class ConfigBinding {

    private final String id;
    private final Backends backends;
    private final TagTable tags = new TagTable();
    private final Predicate<String> isStore;
    private volatile SecretsRuntime runtime;

    ConfigBinding(String id, Backends backends) {
        this.id = Objects.requireNonNull(id, "id");
        this.backends = Objects.requireNonNull(backends, "backends");
        this.isStore = RawValues.stores(backends);
    }

    String id() {
        return id;
    }

    Backends backends() {
        return backends;
    }

    TagTable tags() {
        return tags;
    }

    /**
     * Whether {@code ${name::...}} is a reference of ours: a store on the class path, or one mp-secrets ships (which
     * then fails clearly when read, its module missing, instead of being left to SmallRye).
     */
    boolean isStore(String name) {
        return isStore.test(name);
    }

    SecretsRuntime runtime() {
        return runtime;
    }

    void runtime(SecretsRuntime runtime) {
        this.runtime = runtime;
    }
}
