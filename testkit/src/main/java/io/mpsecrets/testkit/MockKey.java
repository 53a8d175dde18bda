package io.mpsecrets.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A key in the mock AWS KMS, created before the test class (or its deployment) runs: {@code alias/orders}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(MockKey.List.class)
public @interface MockKey {

    /** The alias, {@code alias/...}. */
    String alias();

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @interface List {
        MockKey[] value();
    }
}
