package io.mpsecrets.testkit.leak;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated test class logs secret values on purpose, to see mp-secrets' log mask replace them: the leak guard
 * does not report the mask's markers ({@code ***db.password***}) in its tests' output nor in what a server logged
 * while it ran. Watched values themselves are still leaks.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExpectsMaskedLogs {}
