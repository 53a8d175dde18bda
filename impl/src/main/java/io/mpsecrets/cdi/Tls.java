package io.mpsecrets.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the TLS material ({@code mpsecrets.tls.<name>.*}, docs/tls.md) of an injected {@code SSLContext},
 * {@code X509ExtendedKeyManager}, {@code X509ExtendedTrustManager} or {@code io.mpsecrets.tls.TlsMaterial}:
 * {@code @Inject @Tls("orders") SSLContext tls;}. What is injected follows every rotation of the material.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface Tls {

    /** The material's name. */
    String value();

    /** The qualifier as a value, for synthetic beans and programmatic lookups. */
    final class Literal extends AnnotationLiteral<Tls> implements Tls {
        private static final long serialVersionUID = 1L;
        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        public static Literal of(String name) {
            return new Literal(name);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
