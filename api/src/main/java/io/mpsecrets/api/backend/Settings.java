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
 *
 * <p>Every read goes to the lookup again, so a value is as current as the lookup's; a setting that is set but blank
 * counts as unset. Safe to share between threads when the lookup is.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    /**
     * Settings read through {@code lookup}: a backend's {@link io.mpsecrets.api.spi.BackendContext#setting}, or
     * MicroProfile Config's {@code getOptionalValue}.
     *
     * @param lookup gives a setting's value by its full name, empty when it is unset; the value need not be trimmed
     */
    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /**
     * The lookup these settings read through, to hand on to code that takes one.
     *
     * @return the lookup as given, whose values are not trimmed
     */
    public Function<String, Optional<String>> lookup() {
        return lookup;
    }

    /**
     * A setting as text, trimmed.
     *
     * @param name the setting's full name, e.g. {@code mpsecrets.vault.address}
     * @return the trimmed value; empty when the setting is unset or blank
     */
    public Optional<String> string(String name) {
        return lookup.apply(name).map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * A setting that must be set.
     *
     * @param name the setting's full name
     * @param why what the setting is for, which the error gives after {@code <name> is not set; }
     * @return the trimmed value, never empty
     * @throws ConfigurationException when the setting is unset or blank
     */
    public String required(String name, String why) {
        return string(name).orElseThrow(() -> new ConfigurationException(name + " is not set; " + why));
    }

    /**
     * A setting that is {@code true} or {@code false}, in any case.
     *
     * @param name the setting's full name
     * @param defaultValue the answer when the setting is unset or blank
     * @return the setting's value, or the default
     * @throws ConfigurationException when the setting is anything else ({@code yes}, {@code 1}, ...)
     */
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

    /**
     * A setting that is an integer of 1 or more.
     *
     * @param name the setting's full name
     * @param defaultValue the answer when the setting is unset or blank; not checked
     * @return the setting's value, or the default
     * @throws ConfigurationException when the setting is not a positive integer
     */
    public int positiveInt(String name, int defaultValue) {
        return intBetween(name, 1, Integer.MAX_VALUE, defaultValue);
    }

    /**
     * A setting that is an integer from {@code min} to {@code max}, both included.
     *
     * @param name the setting's full name
     * @param min the least value accepted
     * @param max the greatest value accepted
     * @param defaultValue the answer when the setting is unset or blank; not checked
     * @return the setting's value, or the default
     * @throws ConfigurationException when the setting is not an integer in range; the message gives the range
     */
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

    /**
     * A setting that is a positive duration: ISO-8601 ({@code PT5S}) or a whole number of seconds ({@code 5}).
     *
     * @param name the setting's full name
     * @param defaultValue the answer when the setting is unset or blank; not checked
     * @return the setting's value, or the default
     * @throws ConfigurationException when the setting is not a duration, or is zero or negative
     */
    public Duration duration(String name, Duration defaultValue) {
        return string(name).map(text -> duration(name, text)).orElse(defaultValue);
    }

    /**
     * A setting that is a positive duration, as {@link #duration(String, Duration)} reads it, for a setting with no
     * default.
     *
     * @param name the setting's full name
     * @return the duration; empty when the setting is unset or blank
     * @throws ConfigurationException when the setting is not a duration, or is zero or negative
     */
    public Optional<Duration> duration(String name) {
        return string(name).map(text -> duration(name, text));
    }

    /**
     * A size in bytes: a number, optionally with {@code KiB} or {@code MiB}. Spaces are ignored ({@code 64 KiB}).
     *
     * @param name the setting's full name
     * @param defaultValue the answer when the setting is unset or blank; not checked
     * @return the size in bytes, positive and at most {@link Integer#MAX_VALUE} (just under 2 GiB); or the default
     * @throws ConfigurationException when the setting is not such a size
     */
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

    /**
     * A setting that is a file system path; a leading {@code ~} is the user's home directory ({@link #expandHome}).
     *
     * @param name the setting's full name
     * @return the path, not checked for existence; empty when the setting is unset or blank
     * @throws ConfigurationException naming the setting (never quoting it) when the text cannot be a path on this
     *     file system (a NUL character, say)
     */
    public Optional<Path> path(String name) {
        return string(name).map(text -> {
            try {
                return expandHome(text);
            } catch (java.nio.file.InvalidPathException e) {
                // The JDK's message quotes the text, which may be anything someone typed: named, not quoted.
                throw new ConfigurationException(name + " is not a path this file system can hold");
            }
        });
    }

    /**
     * A setting that is an http(s) URL with a host.
     *
     * @param name the setting's full name
     * @return the URL; empty when the setting is unset or blank
     * @throws ConfigurationException when the setting is not such a URL
     */
    public Optional<URI> url(String name) {
        return string(name).map(text -> url(name, text));
    }

    /**
     * A setting that is a comma-separated list; empty when unset.
     *
     * @param name the setting's full name
     * @return a new list of the items, each trimmed, empty items left out
     */
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

    /**
     * An ISO-8601 duration ({@code PT5S}) or a number of seconds, positive: the parsing of
     * {@link #duration(String, Duration)}, for text read some other way.
     *
     * @param name the setting the text comes from, named in the error
     * @param text the text; not trimmed here
     * @return the duration
     * @throws ConfigurationException when the text is not a duration, or is zero or negative; the message names the
     *         setting and never quotes the text
     */
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

    /**
     * An http(s) URL with a host: the parsing of {@link #url(String)}, for text read some other way.
     *
     * @param name the setting the text comes from, named in the error
     * @param text the text
     * @return the URL
     * @throws ConfigurationException when the text is not a URL, not http or https, or has no host; the message names
     *         the setting and never quotes the text
     */
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

    /**
     * {@code ~} and {@code ~/...} name the user's home directory, as in a shell; {@code ~user} is not expanded.
     *
     * @param text a path as written in a setting
     * @return the path, a leading {@code ~} replaced by the {@code user.home} system property
     * @throws java.nio.file.InvalidPathException when the text cannot be a path on this file system
     */
    public static Path expandHome(String text) {
        if (text.equals("~") || text.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + text.substring(1));
        }
        return Path.of(text);
    }
}
