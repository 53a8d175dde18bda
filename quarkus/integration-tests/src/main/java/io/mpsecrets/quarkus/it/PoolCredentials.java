package io.mpsecrets.quarkus.it;

import io.mpsecrets.cdi.RotationScoped;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a connection pool is built with, held by a {@code @RotationScoped} bean: when the secret rotates, the next call
 * gets an instance built with the new user and password, and this one is destroyed after the grace period.
 */
@RotationScoped
public class PoolCredentials {

    /** Instances destroyed so far (a pool would drain and close here). */
    static final AtomicInteger DESTROYED = new AtomicInteger();

    @Inject
    @ConfigProperty(name = "pool.user")
    String user;

    @Inject
    @ConfigProperty(name = "pool.password")
    String password;

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @PreDestroy
    void close() {
        DESTROYED.incrementAndGet();
    }
}
