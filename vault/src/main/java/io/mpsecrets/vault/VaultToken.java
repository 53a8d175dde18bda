package io.mpsecrets.vault;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.backend.Renewal;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.BackendEvents;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The Vault token a store's (or Transit KMS's) requests carry, through its life: got on first use by the configured
 * method ({@link VaultLogin}), renewed with {@code renew-self} once two thirds of its TTL have passed, and replaced by
 * a new login when it cannot be renewed, when a renewal comes back cut short by the token's max TTL (the new login is
 * then due at two thirds of what is left, before the token ends), and when Vault stops accepting it. A fixed token is
 * used until Vault says no. It talks to Vault through an unauthenticated {@link VaultClient} (in the login's namespace)
 * and is the {@link VaultClient.Credentials} of the authenticated one, so neither class knows the other's job. With
 * {@code auth=agent} there is no token at all: the agent adds its own ({@link #client}).
 *
 * <p>Vault's 403 is a refused token only if {@code lookup-self} is refused too: a token that still looks itself up is
 * denied by a policy, and another login would change nothing; a 403 to {@code renew-self} is a refused token too. A
 * refused token is audited ({@link BackendEvents#credentialsRefused}) and replaced by one login. Logins are
 * rate-limited: after a failed login the next waits a jittered backoff (from 1 s, doubling to 1 min; requests meanwhile
 * fail at once with the last failure), and so does a login after a second token in a row refused within a minute of its
 * login, so that a Vault that keeps revoking what it gives is not answered with a login per request.
 *
 * <p>Concurrency: the token in use is read without a lock; logins, renewals and refusals are handled under one lock,
 * so that threads finding it due at once log in (or renew) once. The token's id is a secret: it is printed nowhere.
 */
final class VaultToken implements VaultClient.Credentials {

    /** Between logins after a failure. */
    private static final Backoff LOGIN_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    /** A token refused sooner than this after its login counts against the next login. */
    private static final long YOUNG_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** A renewal granting less than asked by more than this was cut short by the max TTL. */
    private static final long CAPPED_SLACK_SECONDS = 2;

    /** The agent adds the token: requests carry none, and a 403 is Vault's answer. */
    private static final VaultClient.Credentials AGENT = new VaultClient.Credentials() {
        @Override
        public String token(SecretRef ref) {
            return null;
        }

        @Override
        public boolean refused(String token, SecretRef ref) {
            return false;
        }

        @Override
        public String toString() {
            return "VaultToken[agent]";
        }
    };

    private final VaultSettings settings;
    private final VaultClient vault;
    private final VaultLogin logins;
    private final BackendEvents events;
    private final LongSupplier clock;
    private final Object lock = new Object();
    private volatile Held held;

    // Under the lock.
    private int loginFailures;
    private int youngRefusals;
    private long nextLoginAt;
    private SecretException lastFailure;

    /**
     * A token: since when it is held ({@code System.nanoTime()}), when to renew or replace it ({@code dueAt}, null:
     * never), when it ends ({@code expiresAt}, null: never), whether {@code renew-self} may extend it, and the TTL to
     * ask for when it does.
     */
    private record Held(String id, long since, Long dueAt, Long expiresAt, boolean renewable, long ttlSeconds) {
        // ttlSeconds: what a renewal gives the token (its login's lease, or a given token's creation TTL); a renewal
        // granting less was cut short by the max TTL.
        boolean due(long now) {
            return dueAt != null && now - dueAt >= 0;
        }

        boolean alive(long now) {
            return expiresAt == null || now - expiresAt < 0;
        }

        Held dueAgainAt(long at) {
            return new Held(
                    id,
                    since,
                    expiresAt == null || at - expiresAt < 0 ? at : expiresAt,
                    expiresAt,
                    renewable,
                    ttlSeconds);
        }

        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }

    private VaultToken(VaultSettings settings, VaultClient vault, BackendEvents events, LongSupplier clock) {
        this.clock = clock;
        // nanoTime's origin is arbitrary, and may be negative: "no login before" is now, never 0.
        this.nextLoginAt = clock.getAsLong();
        this.settings = settings;
        this.vault = vault;
        this.events = events;
        this.logins = new VaultLogin(settings, vault, events);
    }

    /** A client for {@code settings} whose requests carry a token kept by a new {@code VaultToken}. */
    static VaultClient client(VaultSettings settings) {
        return client(settings, BackendEvents.NONE);
    }

    /**
     * A client for {@code settings} whose requests carry a token kept by a new {@code VaultToken} (none, with
     * {@code auth=agent}), which reports refused credentials to {@code events}.
     */
    static VaultClient client(VaultSettings settings, BackendEvents events) {
        return client(settings, events, System::nanoTime);
    }

    /** As {@link #client(VaultSettings, BackendEvents)}, timed by {@code clock} (nanoseconds, as System.nanoTime). */
    static VaultClient client(VaultSettings settings, BackendEvents events, LongSupplier clock) {
        VaultClient connection = new VaultClient(settings);
        if (settings.auth() instanceof VaultSettings.AgentAuth) {
            return connection.authenticated(AGENT);
        }
        VaultClient logins = connection.inNamespace(settings.authNamespace().or(settings::namespace));
        return connection.authenticated(new VaultToken(settings, logins, events, clock));
    }

    /** A usable token: logs in on first use, renews after two thirds of its TTL, logs in again when it must. */
    @Override
    public String token(SecretRef ref) {
        Held current = held;
        if (current != null && !current.due(clock.getAsLong())) {
            return current.id();
        }
        synchronized (lock) {
            current = held;
            long now = clock.getAsLong();
            if (current != null && !current.due(now)) {
                return current.id();
            }
            if (current != null && current.renewable()) {
                try {
                    Held renewed = renew(current, ref);
                    held = renewed;
                    return renewed.id();
                } catch (SecretException e) {
                    if (e.reason() == FailureReason.ACCESS_DENIED && logins.canLogInAgain()) {
                        // Revoked, as a 403 to a request finds it: audited, and a login (rate-limited) replaces it.
                        drop(current, ref, "refuses to renew the token");
                        current = null;
                    } else if (!logins.canLogInAgain() && current.alive(now)) {
                        // Renewal failed but the token still lives, and there is no other: try again later.
                        held = current.dueAgainAt(now + LOGIN_BACKOFF.nanos(1));
                        return current.id();
                    }
                }
            } else if (current != null && current.alive(now) && !logins.canLogInAgain()) {
                // A fixed token that renewals no longer extend: use it until it ends or Vault says no.
                held = new Held(current.id(), current.since(), null, current.expiresAt(), false, current.ttlSeconds());
                return current.id();
            }
            if (current != null && current.alive(now) && now - nextLoginAt < 0) {
                return current.id(); // the next login is not due yet, and this token still serves
            }
            Held fresh = login(ref);
            held = fresh;
            return fresh.id();
        }
    }

    /**
     * Vault answered 403 to {@code token}: whether it no longer accepts the token itself (then it is dropped, the
     * refusal audited, and the request sent again with a new one) or only this request (a policy denial).
     */
    @Override
    public boolean refused(String token, SecretRef ref) {
        if (!logins.canLogInAgain()) {
            return false;
        }
        synchronized (lock) {
            Held current = held;
            if (current == null || !current.id().equals(token)) {
                return true; // another thread replaced it already
            }
            VaultClient.Answer lookup;
            try {
                lookup = vault.send("GET", "auth/token/lookup-self", null, null, token);
            } catch (SecretException e) {
                return false; // cannot tell: Vault's refusal stands
            }
            if (lookup.status() != 403) {
                return false; // the token lives (a policy denies the request), or Vault cannot say: its 403 stands
            }
            drop(current, ref, "no longer accepts the token");
            return true;
        }
    }

    /**
     * Under the lock: {@code current}, which Vault refused, is dropped and the refusal audited; a second token in a row
     * refused young holds the next login back.
     */
    private void drop(Held current, SecretRef ref, String what) {
        held = null;
        long now = clock.getAsLong();
        if (now - current.since() < YOUNG_NANOS) {
            youngRefusals++;
            if (youngRefusals > 1) {
                nextLoginAt = now + LOGIN_BACKOFF.nanos(youngRefusals - 1);
            }
        } else {
            youngRefusals = 0;
        }
        events.credentialsRefused(
                ref,
                "Vault " + what + " of the " + settings.auth()
                        + " login (revoked, or ended before its time): logging in again");
    }

    /**
     * One {@code renew-self}, for the token's own TTL (as Vault renews without an increment); no retry here: the caller
     * falls back to a login.
     */
    private Held renew(Held current, SecretRef ref) {
        VaultClient.Answer answer =
                vault.send("POST", "auth/token/renew-self", null, JsonValue.EMPTY_JSON_OBJECT, current.id());
        if (answer.status() / 100 != 2) {
            throw VaultClient.failure(answer.status(), answer, ref);
        }
        JsonObject auth = VaultJson.object(answer.json(ref), "auth", ref);
        long granted = VaultJson.seconds(auth, "lease_duration", ref);
        boolean renewable = VaultJson.bool(auth, "renewable", ref);
        youngRefusals = 0;
        long now = clock.getAsLong();
        if (granted <= 0) {
            // Less than a second left before the max TTL: a new login at the next request.
            return new Held(current.id(), current.since(), now, now + TimeUnit.SECONDS.toNanos(1), false, 0);
        }
        // Less than asked: the max TTL is near. Renewing again would only shorten it; a new login is due instead.
        boolean capped = granted + CAPPED_SLACK_SECONDS < current.ttlSeconds();
        return held(current.id(), current.since(), granted, renewable && !capped, current.ttlSeconds());
    }

    /** A new token, unless a failed login (or a run of refused tokens) asks to wait first. */
    private Held login(SecretRef ref) {
        long now = clock.getAsLong();
        if (now - nextLoginAt < 0) {
            if (lastFailure != null) {
                throw lastFailure.withRef(ref);
            }
            throw new SecretAccessDeniedException(
                    ref,
                    "Vault refused the tokens of the last " + youngRefusals + " " + settings.auth()
                            + " logins within a minute of their login; the next login is in "
                            + TimeUnit.NANOSECONDS.toMillis(nextLoginAt - now) + " ms",
                    null);
        }
        try {
            VaultLogin.Granted granted = logins.login(ref);
            loginFailures = 0;
            lastFailure = null;
            return held(
                    granted.token(), clock.getAsLong(), granted.ttlSeconds(), granted.renewable(), granted.renewsFor());
        } catch (SecretException e) {
            loginFailures++;
            nextLoginAt = clock.getAsLong() + LOGIN_BACKOFF.nanos(loginFailures + youngRefusals);
            lastFailure = e;
            throw e;
        }
    }

    /** A token granted {@code ttlSeconds} from now, held since {@code since} (its login). */
    private Held held(String id, long since, long ttlSeconds, boolean renewable, long askSeconds) {
        long now = clock.getAsLong();
        if (ttlSeconds <= 0) {
            return new Held(id, since, null, null, false, 0);
        }
        long ttl = TimeUnit.SECONDS.toNanos(ttlSeconds);
        return new Held(id, since, now + Renewal.dueAfterNanos(ttl), now + ttl, renewable, askSeconds);
    }

    @Override
    public String toString() {
        return "VaultToken[" + settings.auth() + "]";
    }
}
