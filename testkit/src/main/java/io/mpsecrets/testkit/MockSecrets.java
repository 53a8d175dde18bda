package io.mpsecrets.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class whose mp-secrets talks to a {@link MockServer} of its own (free loopback port): the server starts
 * before the class, the keys and secrets it declares ({@link MockKey}, {@link MockSecret}) are created, the AWS
 * test profiles are installed, and the settings of {@link MockSettings} are system properties until the class ends,
 * so a config built in a test (SmallRye, Weld SE) uses the mocks. The server is injected as a parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MockSecretsExtension.class)
public @interface MockSecrets {}
