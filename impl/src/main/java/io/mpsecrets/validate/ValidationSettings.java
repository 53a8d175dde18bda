package io.mpsecrets.validate;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code mpsecrets.validate.*} and {@code mpsecrets.secret-class.*} ask of an application's secrets.
 *
 * @param mode at start-up: {@code fail} (errors stop the application), {@code warn} (logged), {@code off}
 * @param required properties that must have a value
 * @param classOf each classified property's class
 * @param classes the classes, with defaults for critical, high and service
 * @param defaultClass the class of a secret found by its form (an ENC value or a store reference) but not listed
 * @param warnDays how many days before a rotation is due to warn
 * @param placeholders words refused in addition to the built-in placeholders
 * @param otherEnvironment another environment's properties file: a secret with the same value there is refused
 * @param secretNames the names that make a property a secret of the default class, whatever its value
 */
public record ValidationSettings(
        Mode mode,
        List<String> required,
        Map<String, String> classOf,
        Map<String, SecretClass> classes,
        String defaultClass,
        int warnDays,
        Set<String> placeholders,
        Optional<Path> otherEnvironment,
        SecretNames secretNames) {

    public enum Mode {
        FAIL,
        WARN,
        OFF
    }

    private static final String CLASS_PREFIX = "mpsecrets.secret-class.";

    public static ValidationSettings read(Settings settings, Iterable<String> names) {
        Mode mode;
        String text = settings.string("mpsecrets.validate").orElse("off").toUpperCase(Locale.ROOT);
        try {
            mode = Mode.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("mpsecrets.validate must be fail, warn or off");
        }
        Map<String, SecretClass> classes = new LinkedHashMap<>();
        Map<String, String> classOf = new LinkedHashMap<>();
        for (String builtIn : List.of("critical", "high", "service")) {
            classes.put(builtIn, withSettings(SecretClass.defaults(builtIn), settings));
        }
        for (String name : names) {
            if (name.startsWith(CLASS_PREFIX) && name.indexOf('.', CLASS_PREFIX.length()) < 0) {
                String className = name.substring(CLASS_PREFIX.length());
                classes.computeIfAbsent(className, c -> withSettings(SecretClass.defaults(c), settings));
                for (String property : settings.list(name)) {
                    classOf.putIfAbsent(property, className);
                }
            }
        }
        String defaultClass =
                settings.string("mpsecrets.validate.default-class").orElse("service");
        if (!classes.containsKey(defaultClass)) {
            throw new ConfigurationException("mpsecrets.validate.default-class names no class: " + defaultClass);
        }
        Set<String> placeholders = new HashSet<>();
        settings.list("mpsecrets.validate.placeholders").forEach(p -> placeholders.add(p.toLowerCase(Locale.ROOT)));
        return new ValidationSettings(
                mode,
                settings.list("mpsecrets.validate.required"),
                Map.copyOf(classOf),
                Map.copyOf(classes),
                defaultClass,
                settings.positiveInt("mpsecrets.rotation.warn-days", 30),
                Set.copyOf(placeholders),
                settings.string("mpsecrets.validate.other-environment").map(Path::of),
                SecretNames.read(settings));
    }

    private static SecretClass withSettings(SecretClass defaults, Settings settings) {
        String prefix = CLASS_PREFIX + defaults.name() + ".";
        return new SecretClass(
                defaults.name(),
                settings.positiveInt(prefix + "rotate-days", defaults.rotateDays()),
                settings.positiveInt(prefix + "min-length", defaults.minLength()),
                settings.positiveInt(prefix + "min-variety", defaults.minVariety()));
    }
}
