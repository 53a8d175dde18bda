package io.mpsecrets.config;

import io.smallrye.config.ConfigValue;

/**
 * The last copy made of a config value with another text, handed out again for an equal value and the same text.
 * SmallRye's values are immutable and a copy ({@code withValue}) costs a builder, a list and about 120 bytes, while
 * the values a lookup meets are new but equal ones each time (the sources wrap what they hold anew): the marker's
 * copy of a value with tags is made once, not on every read. Never for a plaintext, which must not outlive its caches.
 * Equal means all that a value carries to an application: name, text, raw text, profile, source, ordinal, position and
 * line. Its problems are not visible outside SmallRye; SmallRye itself only passes on those of
 * values an expression refers to, and makes none.
 */
final class LastCopy {

    /** A value as met, the text it was given and the copy that carries it. */
    private record Copy(ConfigValue read, String text, ConfigValue copy) {}

    private volatile Copy last;

    /** {@code value} with {@code text} (the same instance as the last time, to be handed the same copy). */
    ConfigValue withValue(ConfigValue value, String text) {
        Copy copy = last;
        if (copy != null && copy.text() == text && same(copy.read(), value)) {
            return copy.copy();
        }
        ConfigValue made = value.withValue(text);
        last = new Copy(value, text, made);
        return made;
    }

    private static boolean same(ConfigValue a, ConfigValue b) {
        // Only what every SmallRye a server may run has (getExtendedExpressionHandler came with 3.x): equals compares
        // name, text, raw text, profile, source, ordinal and position.
        return a == b || (a.equals(b) && a.getLineNumber() == b.getLineNumber());
    }
}
