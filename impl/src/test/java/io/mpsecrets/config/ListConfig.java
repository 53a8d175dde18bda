package io.mpsecrets.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A MicroProfile Config that is not SmallRye, small enough to read: sources by descending ordinal, an empty answer
 * counts as none (as Payara's does), and optionally {@code ${name}} expansion in which a backslash before
 * {@code $ { }} makes that character literal. Strings and booleans only.
 */
final class ListConfig implements Config {

    enum Expansion {
        NONE,
        BACKSLASH_ESCAPES,
        /** Expands {@code ${name}} but knows no escapes: nothing handed through it survives unchanged. */
        NO_ESCAPES
    }

    private final List<ConfigSource> sources = new ArrayList<>();
    private final Expansion expansion;

    ListConfig(Expansion expansion) {
        this.expansion = expansion;
    }

    ListConfig with(ConfigSource source) {
        sources.add(source);
        sources.sort(Comparator.comparingInt(ConfigSource::getOrdinal).reversed());
        return this;
    }

    private String lookup(String name) {
        for (ConfigSource source : sources) {
            String value = source.getValue(name);
            if (value != null && !value.isEmpty()) {
                return expansion == Expansion.NONE ? value : expand(value, 0);
            }
        }
        return null;
    }

    private String expand(String value, int depth) {
        if (depth > 5) {
            throw new IllegalArgumentException("expressions nest too deep");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (expansion == Expansion.BACKSLASH_ESCAPES
                    && c == '\\'
                    && i + 1 < value.length()
                    && "${}".indexOf(value.charAt(i + 1)) >= 0) {
                out.append(value.charAt(++i));
            } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
                int end = value.indexOf('}', i);
                if (end < 0) {
                    out.append(value, i, value.length());
                    break;
                }
                String name = value.substring(i + 2, end);
                String found = lookup(name);
                if (found == null) {
                    throw new NoSuchElementException("no value for the expression in " + name);
                }
                out.append(found);
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getValue(String propertyName, Class<T> propertyType) {
        return getOptionalValue(propertyName, propertyType).orElseThrow(() -> new NoSuchElementException(propertyName));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> getOptionalValue(String propertyName, Class<T> propertyType) {
        Optional<String> value = Optional.ofNullable(lookup(propertyName));
        if (propertyType == Boolean.class) {
            return (Optional<T>) value.map(Boolean::valueOf);
        }
        if (propertyType == String.class) {
            return (Optional<T>) value;
        }
        throw new IllegalArgumentException("strings and booleans only");
    }

    @Override
    public ConfigValue getConfigValue(String propertyName) {
        String value = lookup(propertyName);
        return new ConfigValue() {
            @Override
            public String getName() {
                return propertyName;
            }

            @Override
            public String getValue() {
                return value;
            }

            @Override
            public String getRawValue() {
                return value;
            }

            @Override
            public String getSourceName() {
                return null;
            }

            @Override
            public int getSourceOrdinal() {
                return 0;
            }
        };
    }

    @Override
    public Iterable<String> getPropertyNames() {
        Set<String> names = new TreeSet<>();
        sources.forEach(source -> names.addAll(source.getPropertyNames()));
        return names;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources() {
        return List.copyOf(sources);
    }

    @Override
    public <T> Optional<Converter<T>> getConverter(Class<T> forType) {
        return Optional.empty();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        throw new IllegalArgumentException(type.getName());
    }
}
