/**
 * The {@code mpsecrets} command line ({@link MpSecretsCommand}, picocli): {@code keygen}, {@code encrypt},
 * {@code decrypt}, {@code reencrypt} and {@code validate}, over the same backend registry and envelope code the runtime
 * uses; secrets come from standard input, never from arguments. The commands, their options and exit statuses are the
 * user's interface (README.md, docs/runbook.md); the classes are not.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.cli;
