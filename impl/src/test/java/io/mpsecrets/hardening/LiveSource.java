package io.mpsecrets.hardening;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/** A config source whose values a test changes while the application reads (a dynamic source). */
final class LiveSource implements ConfigSource {

    final Map<String, String> values = new ConcurrentHashMap<>();

    LiveSource(Map<String, String> initial) {
        values.putAll(initial);
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "live";
    }

    @Override
    public int getOrdinal() {
        return 100;
    }
}
