package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An audit event: something happened to a secret. Events name the secret ({@link SecretRef}), the worker that
 * asked ({@link WorkerContext}) and the outcome; no event type has a field that could hold a value. Delivered to
 * the {@code io.mpsecrets.audit} logger and, in a CDI container, as CDI events that applications can observe.
 */
public sealed interface SecretEvent
        permits SecretFetched,
                SecretDecrypted,
                SecretAccessed,
                SecretRotated,
                SecretAccessDenied,
                SecretFailure,
                SecretFailover,
                SecretExpiring {

    Instant time();

    SecretRef ref();

    WorkerContext context();

    Outcome outcome();

    /** The event's name in audit log lines: {@code fetched}, {@code decrypted}, {@code rotated}, ... */
    String type();

    /** Attributes particular to this event type, in log order. */
    default Map<String, String> details() {
        return Map.of();
    }

    /** Everything this event says, in the order of an audit log line. */
    default Map<String, String> attributes() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("event", type());
        out.putAll(ref().attributes());
        out.putAll(details());
        out.put("outcome", outcome().name().toLowerCase(java.util.Locale.ROOT));
        WorkerContext context = context();
        if (context.application() != null) {
            out.put("app", context.application());
        }
        if (context.module() != null) {
            out.put("module", context.module());
        }
        out.put("thread", context.thread());
        return out;
    }

    /** Shared checks of the record constructors. */
    static void requireCommon(Instant time, SecretRef ref, WorkerContext context) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(context, "context");
    }
}
