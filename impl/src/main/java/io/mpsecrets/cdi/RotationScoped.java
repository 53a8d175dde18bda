package io.mpsecrets.cdi;

import jakarta.enterprise.context.NormalScope;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bean whose instance lives until a store secret it read while being created rotates: then the next call through
 * its client proxy builds a new instance with the new values, and the old one is destroyed ({@code @PreDestroy}: a
 * pool drains and closes) once {@code mpsecrets.rotation.grace} has passed, so that calls under way finish on it.
 * Secrets the instance did not read do not disturb it. Works for {@code @ConfigProperty} fields, constructor and
 * initializer parameters and producer parameters; values read later ({@code Supplier<String>}, {@code Config}) are
 * current anyway. An {@code ENC(...)} value whose text does not change does not rotate. Provided by mp-secrets' CDI
 * extension (servers and Weld) and, on Quarkus, by its extension's ArC context.
 */
@NormalScope
@Inherited
@Documented
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface RotationScoped {}
