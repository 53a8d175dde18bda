package io.mpsecrets.config;

import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.aws.AwsClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** Typed reads of {@code mpsecrets.*} settings through a lookup, with errors that name the setting. */
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
        Optional<String> value = string(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name + " must be a positive integer");
    }

    public Duration duration(String name, Duration defaultValue) {
        return string(name).map(text -> AwsClientSettings.duration(name, text)).orElse(defaultValue);
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
}
