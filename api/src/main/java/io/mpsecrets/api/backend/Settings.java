package io.mpsecrets.api.backend;

import io.mpsecrets.api.exception.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of {@code mpsecrets.*} settings through a lookup, with errors that name the setting and never quote
 * its value. Durations are ISO-8601 ({@code PT5S}) or a number of seconds.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Function<String, Optional<String>> lookup() {
        return lookup;
    }

    public Optional<String> string(String name) {
        return lookup.apply(name).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String required(String name, String why) {
        return string(name).orElseThrow(() -> new ConfigurationException(name + " is not set; " + why));
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> value = string(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigurationException(name + " must be true or false");
        }
    }

    public int positiveInt(String name, int defaultValue) {
        return intBetween(name, 1, Integer.MAX_VALUE, defaultValue);
    }

    /** An integer from {@code min} to {@code max}. */
    public int intBetween(String name, int min, int max, int defaultValue) {
        Optional<String> value = string(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name
                + (max == Integer.MAX_VALUE
                        ? (min == 1 ? " must be a positive integer" : " must be an integer of at least " + min)
                        : " must be a number from " + min + " to " + max));
    }

    public Duration duration(String name, Duration defaultValue) {
        return string(name).map(text -> duration(name, text)).orElse(defaultValue);
    }

    public Optional<Duration> duration(String name) {
        return string(name).map(text -> duration(name, text));
    }

    /** A size in bytes: a number, optionally with {@code KiB} or {@code MiB}. */
    public long bytes(String name, long defaultValue) {
        Optional<String> value = string(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = value.get().replace(" ", "");
        long unit = 1;
        if (text.endsWith("KiB")) {
            unit = 1024;
            text = text.substring(0, text.length() - 3);
        } else if (text.endsWith("MiB")) {
            unit = 1024 * 1024;
            text = text.substring(0, text.length() - 3);
        }
        try {
            long parsed = Long.parseLong(text);
            if (parsed > 0 && parsed <= Integer.MAX_VALUE / unit) {
                return parsed * unit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name + " must be a positive size in bytes, KiB or MiB (at most 2 GiB)");
    }

    public Optional<Path> path(String name) {
        return string(name).map(Settings::expandHome);
    }

    /** An http(s) URL. */
    public Optional<URI> url(String name) {
        return string(name).map(text -> url(name, text));
    }

    /** A comma-separated list; empty when unset. */
    public List<String> list(String name) {
        List<String> out = new ArrayList<>();
        string(name).ifPresent(text -> {
            for (String item : text.split(",")) {
                if (!item.trim().isEmpty()) {
                    out.add(item.trim());
                }
            }
        });
        return out;
    }

    /** An ISO-8601 duration ({@code PT5S}) or a number of seconds, positive. */
    public static Duration duration(String name, String text) {
        try {
            Duration parsed = !text.isEmpty() && text.chars().allMatch(Character::isDigit)
                    ? Duration.ofSeconds(Long.parseLong(text))
                    : Duration.parse(text);
            if (parsed.isNegative() || parsed.isZero()) {
                throw new ConfigurationException(name + " must be positive");
            }
            return parsed;
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new ConfigurationException(name + " must be an ISO-8601 duration such as PT5S, or seconds");
        }
    }

    /** An http(s) URL with a host. */
    public static URI url(String name, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null
                    || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new ConfigurationException(name + " must be an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(name + " is not a URL");
        }
    }

    /** {@code ~} and {@code ~/...} name the user's home directory, as in a shell. */
    public static Path expandHome(String text) {
        if (text.equals("~") || text.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + text.substring(1));
        }
        return Path.of(text);
    }
}
