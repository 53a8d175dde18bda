package io.mpsecrets.cdi;

import io.mpsecrets.api.backend.DaemonScheduler;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.runtime.SecretReads;
import jakarta.enterprise.context.spi.AlterableContext;
import jakarta.enterprise.context.spi.Contextual;
import jakarta.enterprise.context.spi.CreationalContext;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The context of {@link RotationScoped}: one instance per bean, created with the secrets it reads captured
 * ({@link SecretReads}); a {@link SecretRotated} for one of them takes the instance out at once (the next call builds
 * a new one) and destroys it after the grace period. Thread-safe: creation is once per bean, under the bean's lock.
 * The CDI extension registers it on servers and in Weld; the Quarkus extension wraps it for ArC.
 */
public final class RotationContext implements AlterableContext {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.cdi");
    /** How long shutdown lets a destruction under way finish before interrupting it. */
    private static final Duration DESTROY_PATIENCE = Duration.ofSeconds(5);

    private record Held(Object instance, CreationalContext<?> creational, Set<String> properties, long createdAt) {}

    /** Orders creations and rotations. */
    private final AtomicLong clock = new AtomicLong();
    /**
     * One stamp per rotation (secret and new version): a rotation read by two properties (a user and a password)
     * comes as two events, and an instance built between them already has the new values.
     */
    private final Map<String, Long> rotations = new ConcurrentHashMap<>();
    /** Per property, the stamp of its latest rotation: an instance whose creation straddled it is retired at once. */
    private final Map<String, Long> rotatedAt = new ConcurrentHashMap<>();

    private final Map<Contextual<?>, Held> instances = new ConcurrentHashMap<>();
    private final Map<Contextual<?>, Object> locks = new ConcurrentHashMap<>();
    private final Set<Runnable> retired = ConcurrentHashMap.newKeySet();
    private volatile Duration grace = Duration.ofMinutes(5);
    private volatile ScheduledThreadPoolExecutor destroyer;
    /** Set once by {@link #shutdown}: nothing is scheduled after it, and an instance retired then goes at once. */
    private boolean shutDown;

    @Override
    public Class<? extends Annotation> getScope() {
        return RotationScoped.class;
    }

    @Override
    public boolean isActive() {
        synchronized (this) {
            return !shutDown;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Contextual<T> contextual, CreationalContext<T> creational) {
        Held held = instances.get(contextual);
        if (held != null || creational == null) {
            return held == null ? null : (T) held.instance();
        }
        synchronized (locks.computeIfAbsent(contextual, c -> new Object())) {
            held = instances.get(contextual);
            if (held == null) {
                long createdAt = clock.incrementAndGet();
                Set<String> read = new HashSet<>();
                T instance = SecretReads.capture(read, () -> contextual.create(creational));
                held = new Held(instance, creational, Set.copyOf(read), createdAt);
                instances.put(contextual, held);
                for (String property : held.properties()) {
                    // A secret it read rotated while it was being built: this call gets it, the next a new one.
                    if (rotatedAt.getOrDefault(property, 0L) > createdAt && instances.remove(contextual, held)) {
                        retire(contextual, held);
                        break;
                    }
                }
            }
            return (T) held.instance();
        }
    }

    @Override
    public <T> T get(Contextual<T> contextual) {
        return get(contextual, null);
    }

    @Override
    public void destroy(Contextual<?> contextual) {
        Held held = instances.remove(contextual);
        if (held != null) {
            destroy(contextual, held);
        }
    }

    /** How long a rotated-out instance lives on for calls under way ({@code mpsecrets.rotation.grace}). */
    public void grace(Duration grace) {
        this.grace = grace;
    }

    /** The runtime's events: a rotation takes out the instances built with the rotated property. */
    public void observe(SecretEvent event) {
        if (!(event instanceof SecretRotated rotated) || rotated.ref().property() == null) {
            return;
        }
        String property = rotated.ref().property();
        if (rotations.size() > 1024) {
            rotations.clear(); // old rotations' events have all come long since
        }
        long stamp = rotations.computeIfAbsent(
                rotated.ref().backend() + "\u0000" + rotated.ref().secretId() + "\u0000"
                        + rotated.ref().version(),
                rotation -> clock.incrementAndGet());
        rotatedAt.merge(property, stamp, Math::max);
        instances.forEach((contextual, held) -> {
            if (held.createdAt() < stamp
                    && held.properties().contains(property)
                    && instances.remove(contextual, held)) {
                retire(contextual, held);
            }
        });
    }

    private void retire(Contextual<?> contextual, Held held) {
        Runnable destroy = new Runnable() {
            @Override
            public void run() {
                if (retired.remove(this)) {
                    destroy(contextual, held);
                }
            }
        };
        retired.add(destroy);
        ScheduledThreadPoolExecutor executor = destroyer();
        if (executor == null) {
            destroy.run(); // shut down: no grace left to wait out, and no thread to wait on
            return;
        }
        try {
            executor.schedule(destroy, grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDownMeanwhile) {
            destroy.run();
        }
    }

    /** The scheduler of destructions, started on first use; null once shut down. */
    private synchronized ScheduledThreadPoolExecutor destroyer() {
        if (shutDown) {
            return null;
        }
        if (destroyer == null) {
            destroyer = DaemonScheduler.start("mpsecrets-rotation-scope");
        }
        return destroyer;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void destroy(Contextual contextual, Held held) {
        try {
            contextual.destroy(held.instance(), held.creational());
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "mp-secrets: destroying a @RotationScoped instance failed: "
                            + e.getClass().getName());
        }
    }

    /** The instances in service, by their beans. */
    public Map<Contextual<?>, Object> instances() {
        Map<Contextual<?>, Object> out = new java.util.HashMap<>();
        instances.forEach((contextual, held) -> out.put(contextual, held.instance()));
        return out;
    }

    /**
     * At shutdown: every instance, and those waiting out their grace, destroyed now. The scheduler stops first, so
     * that an instance retired meanwhile (a rotation arriving, or a {@code @PreDestroy} that reads a secret) is
     * destroyed at once rather than scheduled on a scheduler started after shutdown or dropped with the old one.
     */
    public void shutdown() {
        ScheduledThreadPoolExecutor executor;
        synchronized (this) {
            shutDown = true;
            executor = destroyer;
            destroyer = null;
        }
        if (executor != null) {
            // Not interrupted: a destruction under way (a pool closing its connections) finishes; those still
            // waiting out their grace are dropped from the scheduler and run below.
            DaemonScheduler.stop(executor, DESTROY_PATIENCE);
        }
        for (Runnable destroy : Set.copyOf(retired)) {
            destroy.run();
        }
        instances.keySet().forEach(this::destroy);
    }
}
