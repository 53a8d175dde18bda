package io.mpsecrets.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A secret in the mock AWS Secrets Manager, created before the test class (or its deployment) runs. A value that
 * must not leak belongs in the test's code, with {@code LeakGuard.CANARY} in it, not in an annotation here only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(MockSecret.List.class)
public @interface MockSecret {

    /** The secret's name: {@code orders/db}. */
    String name();

    /** Its value: text, or JSON whose fields references read as {@code ${aws::orders/db#password}}. */
    String value();

    /**
     * A property that refers to the secret, set for the test ({@code db.password=${aws::orders/db#password}}) as
     * the application's config would; none by default.
     */
    String property() default "";

    /** The JSON field the {@link #property} reads; the whole secret by default. */
    String field() default "";

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @interface List {
        MockSecret[] value();
    }
}
