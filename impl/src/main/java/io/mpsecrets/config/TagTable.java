package io.mpsecrets.config;

import io.mpsecrets.runtime.SecretReference;
import io.smallrye.config.ConfigValue;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tags one config's {@link SecretMarker} gave out and what each stands for, shared with the same config's
 * {@link SecretResolver}: the marker hands on the piece it parsed, the resolver reads it, and nothing is parsed twice.
 * Each property keeps its last marking; when its raw value changes the old tags are retired.
 */
final class TagTable {

    /** What a tag stands for: a whole {@code ENC(...)} value, or a reference, read as {@code property}. */
    sealed interface Piece permits Encrypted, Reference {
        String property();
    }

    record Encrypted(String property, String text) implements Piece {}

    record Reference(String property, SecretReference reference) implements Piece {}

    /**
     * The last marking of a property: its raw value, the value with tags, and the tags; and the copy of the last value
     * read with that raw value that carries the tags.
     */
    static final class Marked {

        private final String raw;
        private final String rewritten;
        private final List<String> tags;
        private final LastCopy tagged = new LastCopy();

        Marked(String raw, String rewritten, List<String> tags) {
            this.raw = raw;
            this.rewritten = rewritten;
            this.tags = tags;
        }

        String raw() {
            return raw;
        }

        String rewritten() {
            return rewritten;
        }

        List<String> tags() {
            return tags;
        }

        /** {@code value} (whose raw value this marking is of) with its secrets replaced by tags. */
        ConfigValue tagged(ConfigValue value) {
            return rewritten == raw ? value : tagged.withValue(value, rewritten);
        }
    }

    private final ConcurrentHashMap<String, Marked> byProperty = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Piece> byTag = new ConcurrentHashMap<>();
    private final AtomicLong serials = new AtomicLong();
    private final String nonce = SecretTag.nonce();

    /** This config's tag nonce: a tag without it was not given by this config's marker. */
    String nonce() {
        return nonce;
    }

    Marked marked(String property) {
        return byProperty.get(property);
    }

    Piece piece(String tag) {
        return byTag.get(tag);
    }

    /** A new tag for {@code piece}. */
    String tag(Piece piece) {
        String tag = SecretTag.of(nonce, serials.incrementAndGet());
        byTag.put(tag, piece);
        return tag;
    }

    /** Forgets a tag that was given but never handed on. */
    void retire(String tag) {
        byTag.remove(tag);
    }

    /** How many tags stand for something now. */
    int size() {
        return byTag.size();
    }

    /** Makes {@code next} the property's marking and retires the tags of the one it replaces. */
    void replace(String property, Marked previous, Marked next) {
        byProperty.put(property, next);
        if (previous != null) {
            previous.tags().forEach(byTag::remove);
        }
    }
}
