package io.mpsecrets.health;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.runtime.BackendStates;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.runtime.StoreSettings;
import io.mpsecrets.tls.TlsMaterial;
import io.mpsecrets.validate.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What mp-secrets' health checks report, without the Health API's types so that it can be tested anywhere: the
 * state of each store and KMS the application uses, and the secrets due or overdue for rotation. Names, reasons and
 * times only, never a value.
 */
public final class SecretsHealth {

    /** One check's answer: up or down, and what to show with it. */
    public record Report(boolean up, Map<String, String> data) {}

    private SecretsHealth() {}

    /**
     * Down while a store or KMS the application needs is down or denies it; a store with
     * {@code mpsecrets.<store>.required=false} shows its state and never makes the application unready, and one
     * serving its last good values (stale) is degraded, not down.
     */
    public static Report backends(SecretsRuntime runtime, Settings settings) {
        Map<String, String> data = new LinkedHashMap<>();
        boolean up = true;
        for (BackendStates.State state : runtime.backendStates().states()) {
            boolean required = state.kind() == BackendStates.Kind.KMS || StoreSettings.required(state.name(), settings);
            data.put(state.key(), describe(state) + (required ? "" : " (optional)"));
            boolean failing =
                    state.status() == BackendStates.Status.DOWN || state.status() == BackendStates.Status.DENIED;
            up &= !(failing && required);
        }
        return new Report(up, data);
    }

    private static String describe(BackendStates.State state) {
        String status = state.status().name().toLowerCase(java.util.Locale.ROOT);
        return switch (state.status()) {
            case UNUSED -> status;
            case UP -> status + " since " + state.since();
            default ->
                status + " (" + state.reason() + ") since " + state.since()
                        + (state.lastOk() == null ? "" : ", last ok " + state.lastOk());
        };
    }

    /**
     * The TLS materials in use: down while one is about to expire or its last new material was refused (the one in
     * service still serves, which is why the application is not down for it, only marked).
     */
    public static Report tls(List<TlsMaterial.State> states) {
        Map<String, String> data = new LinkedHashMap<>();
        boolean up = true;
        for (TlsMaterial.State state : states) {
            StringBuilder text = new StringBuilder();
            text.append(state.serial().map(s -> "serial " + s.toString(16)).orElse("trust only"));
            state.notAfter().ifPresent(end -> text.append(", not after ").append(end));
            if (state.expiring()) {
                text.append(", expiring");
            }
            state.failure()
                    .ifPresent(f -> text.append(", new material refused: ").append(f));
            data.put("tls." + state.name(), text.toString());
            up &= !state.expiring() && state.failure().isEmpty();
        }
        return new Report(up, data);
    }

    /**
     * The secrets due (warn days) or overdue for rotation, each with its due date; down for an overdue one only with
     * {@code mpsecrets.health.rotation.overdue-is-down=true} (an old secret still works, so by default it does not
     * take the application out of service).
     */
    public static Report rotation(List<Finding> findings, boolean overdueIsDown) {
        Map<String, String> data = new LinkedHashMap<>();
        boolean overdue = false;
        for (Finding finding : findings) {
            if (finding.rule() == Finding.Rule.ROTATION_OVERDUE || finding.rule() == Finding.Rule.ROTATION_DUE) {
                data.put(finding.property(), finding.rule().label() + ": " + finding.message());
                overdue |= finding.rule() == Finding.Rule.ROTATION_OVERDUE;
            }
        }
        return new Report(!(overdue && overdueIsDown), data);
    }
}
