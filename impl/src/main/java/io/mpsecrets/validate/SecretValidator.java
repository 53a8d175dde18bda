package io.mpsecrets.validate;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.event.SecretExpiring;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.config.RawValues;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.validate.Finding.Rule;
import io.mpsecrets.validate.Finding.Severity;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.Config;

/**
 * Checks an application's secrets against the runbook: required ones present; each secret stored as a secret
 * ({@code ENC(...)} or a store reference, not plaintext), readable, long and varied enough for its class, not a
 * placeholder, not the same as in another environment; and rotated within its class's period, warning ahead of it
 * ({@code Secret expiry} on the audit logger and a {@link SecretExpiring} event). Secrets are the classified
 * properties, every property whose raw value is an {@code ENC(...)} value or a store reference, and every property
 * from a config file whose name says it is one ({@link SecretNames}).
 */
public final class SecretValidator {

    private final Config config;
    private final SecretsRuntime runtime;
    private final ValidationSettings settings;
    private final Clock clock;
    private final Predicate<String> isStore;

    public SecretValidator(Config config, SecretsRuntime runtime, ValidationSettings settings, Clock clock) {
        this.config = config;
        this.runtime = runtime;
        this.settings = settings;
        this.clock = clock;
        this.isStore = RawValues.stores(runtime.backends());
    }

    public List<Finding> validate() {
        List<Finding> findings = new ArrayList<>();
        Set<String> secrets = secrets();
        for (String required : settings.required()) {
            if (raw(required) == null) {
                findings.add(new Finding(required, Rule.MISSING, Severity.ERROR, "required and not set"));
            }
        }
        Properties other = otherEnvironment();
        for (String property : secrets) {
            check(property, classOf(property), other, findings);
        }
        return findings;
    }

    /**
     * The rotation findings alone (due soon, overdue): no value is read and nothing is announced, so a health check
     * may ask as often as it is probed.
     */
    public List<Finding> rotation() {
        List<Finding> findings = new ArrayList<>();
        for (String property : secrets()) {
            String raw = raw(property);
            if (raw != null) {
                age(property, raw, classOf(property), findings, false);
            }
        }
        return findings;
    }

    private SecretClass classOf(String property) {
        return settings.classes().get(settings.classOf().getOrDefault(property, settings.defaultClass()));
    }

    /** The properties that are secrets: classified, secret-shaped, or named as secrets in a config file. */
    private Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>(settings.classOf().keySet());
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith("mpsecrets.") && RawValues.isSecretForm(raw(name), isStore)) {
                secrets.add(name);
            } else if (settings.secretNames().matches(name) && RawValues.fromConfigFile(config, name)) {
                // A secret by its name, in a file (not the environment or a system property, where a deployment
                // puts secrets at run time): a plaintext or placeholder one is a finding.
                secrets.add(name);
            }
        }
        return secrets;
    }

    private void check(String property, SecretClass secretClass, Properties other, List<Finding> findings) {
        String raw = raw(property);
        String inClass = " (class " + secretClass.name() + ")";
        if (raw == null) {
            if (!settings.required().contains(property)) {
                findings.add(new Finding(
                        property, Rule.MISSING, Severity.ERROR, "classified as a secret and not set" + inClass));
            }
            return;
        }
        if (!RawValues.isSecretForm(raw, isStore)) {
            findings.add(new Finding(
                    property,
                    Rule.PLAINTEXT,
                    Severity.ERROR,
                    "a secret in plain text: store it as ENC(...) or a ${store::id} reference" + inClass));
        }
        if (RawValues.nesting(raw) > RawValues.MAX_NESTING) {
            // Refused before SmallRye parses it: its parser recurses per level, and 5,000 levels overflow the stack.
            findings.add(new Finding(
                    property,
                    Rule.UNREADABLE,
                    Severity.ERROR,
                    "${...} expressions nested more than " + RawValues.MAX_NESTING + " deep"));
            return;
        }
        String value;
        try {
            value = config.getValue(property, String.class);
        } catch (SecretException e) {
            findings.add(new Finding(
                    property,
                    Rule.UNREADABLE,
                    Severity.ERROR,
                    e.reason().name() + ": " + e.reason().description()));
            return;
        }
        if (Placeholders.isPlaceholder(value, settings.placeholders())) {
            findings.add(
                    new Finding(property, Rule.PLACEHOLDER, Severity.ERROR, "a known placeholder value" + inClass));
        } else {
            if (value.length() < secretClass.minLength()) {
                findings.add(new Finding(
                        property,
                        Rule.TOO_SHORT,
                        Severity.ERROR,
                        "shorter than " + secretClass.minLength() + " characters" + inClass));
            }
            if (variety(value) < secretClass.minVariety()) {
                findings.add(new Finding(
                        property,
                        Rule.LOW_VARIETY,
                        Severity.ERROR,
                        "fewer than " + secretClass.minVariety()
                                + " kinds of characters (lower case, upper case, digits, others)" + inClass));
            }
        }
        sameAsOtherEnvironment(property, value, other).ifPresent(findings::add);
        age(property, raw, secretClass, findings, true);
    }

    private void age(String property, String raw, SecretClass secretClass, List<Finding> findings, boolean announce) {
        Optional<Instant> created = SecretAge.created(runtime, property, raw, isStore);
        if (created.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Instant due = created.get().plus(Duration.ofDays(secretClass.rotateDays()));
        Instant warnFrom = due.minus(Duration.ofDays(settings.warnDays()));
        if (now.isBefore(warnFrom)) {
            return;
        }
        boolean overdue = !now.isBefore(due);
        long days = Duration.between(created.get(), now).toDays();
        String message = (overdue ? "rotation overdue: " : "rotation due soon: ") + days + " days old, class "
                + secretClass.name() + " rotates every " + secretClass.rotateDays() + " days, due " + due;
        findings.add(
                new Finding(property, overdue ? Rule.ROTATION_OVERDUE : Rule.ROTATION_DUE, Severity.WARNING, message));
        if (!announce) {
            return;
        }
        runtime.auditor().notice("Secret expiry", property, message);
        runtime.auditor()
                .emit(new SecretExpiring(
                        now,
                        SecretRef.property(property),
                        created.get(),
                        due,
                        secretClass.name(),
                        runtime.auditor().workerContext()));
    }

    private Optional<Finding> sameAsOtherEnvironment(String property, String value, Properties other) {
        String otherRaw = other.getProperty(property);
        if (otherRaw == null) {
            return Optional.empty();
        }
        Optional<String> otherValue = EncryptedValue.isEncryptedForm(otherRaw)
                ? runtime.encrypted().decryptUncached(property, otherRaw.strip())
                : Optional.of(otherRaw);
        if (otherValue.isPresent()
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), otherValue.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Finding(
                    property,
                    Rule.SAME_AS_OTHER_ENVIRONMENT,
                    Severity.ERROR,
                    "the same value as in " + settings.otherEnvironment().orElseThrow()));
        }
        return Optional.empty();
    }

    private Properties otherEnvironment() {
        Properties other = new Properties();
        if (settings.otherEnvironment().isPresent()) {
            try (Reader in = Files.newBufferedReader(settings.otherEnvironment().get(), StandardCharsets.UTF_8)) {
                other.load(in);
            } catch (IOException e) {
                throw new io.mpsecrets.api.exception.ConfigurationException(
                        "mpsecrets.validate.other-environment cannot be read: "
                                + settings.otherEnvironment().get());
            }
        }
        return other;
    }

    /**
     * The value as a source holds it, before any decryption or fetch: resolving it could fail, a finding of its own.
     */
    private String raw(String property) {
        return RawValues.raw(config, property).orElse(null);
    }

    static int variety(String value) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isLowerCase(c)) {
                lower = true;
            } else if (Character.isUpperCase(c)) {
                upper = true;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else {
                other = true;
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }
}
