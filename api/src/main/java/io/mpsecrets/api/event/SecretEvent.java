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
 *
 * <p>Events are immutable records, delivered on the thread that caused them, so an observer may be called from
 * several threads at once.
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

    /**
     * When it happened.
     *
     * @return the time, never null
     */
    Instant time();

    /**
     * The secret it happened to: the property, store or KMS, secret id, key id and version, as far as they are known.
     *
     * @return the names, never null and never a value
     */
    SecretRef ref();

    /**
     * The worker it happened for.
     *
     * @return the application, module and thread, never null; the thread is the one that emitted the event, the
     *         rotation thread for a change found by polling
     */
    WorkerContext context();

    /**
     * How the access ended.
     *
     * @return the outcome, never null; fixed for each event type but {@link SecretFailure}
     */
    Outcome outcome();

    /**
     * The event's name in audit log lines: {@code fetched}, {@code decrypted}, {@code rotated}, ...
     *
     * @return the name, lower case and fixed for each event type
     */
    String type();

    /**
     * Attributes particular to this event type, in log order.
     *
     * @return names and versions only (a previous version, a failure reason), as given, not escaped; empty for most
     *         types
     */
    default Map<String, String> details() {
        return Map.of();
    }

    /**
     * Everything this event says, in the order of an audit log line.
     *
     * @return a new map: {@code event}, the ref's {@link SecretRef#attributes()}, {@link #details()},
     *         {@code outcome}, {@code app} and {@code module} when known, and {@code thread}; the values are not
     *         escaped, which the audit line does
     */
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

    /**
     * Shared checks of the record constructors. Public only because an interface's static methods are; not for
     * other callers.
     *
     * @param time the event's time
     * @param ref the event's secret
     * @param context the event's worker
     * @throws NullPointerException naming the first of them that is null
     */
    static void requireCommon(Instant time, SecretRef ref, WorkerContext context) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(context, "context");
    }
}
