package io.mpsecrets.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * A test class whose mp-secrets talks to a {@link MockServer} of its own (free loopback port): the server starts
 * before the class, the keys and secrets it declares ({@link MockKey}, {@link MockSecret}) are created, the AWS
 * test profiles are installed, and the settings of {@link MockSettings} are system properties until the class ends,
 * so a config built in a test (SmallRye, Weld SE) uses the mocks. The server is injected as a parameter.
 *
 * <p>System properties are one set per JVM, so the class holds JUnit's lock on them: under JUnit's parallel execution
 * ({@code junit.jupiter.execution.parallel.enabled}) such classes run one at a time, and so do they with any class
 * that declares {@code @ResourceLock(Resources.SYSTEM_PROPERTIES)}; every other class still runs beside them. After
 * the class each property is what it was before (set again, or cleared if it was absent), before its mock stops.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MockSecretsExtension.class)
@ResourceLock(Resources.SYSTEM_PROPERTIES)
public @interface MockSecrets {}
