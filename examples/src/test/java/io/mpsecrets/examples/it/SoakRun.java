package io.mpsecrets.examples.it;

import io.mpsecrets.examples.soak.SoakResource;
import io.mpsecrets.testkit.MockServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One soak run against the deployment: a fixed rate of requests from this JVM over loopback (the latency of each from
 * the moment it was due, so that a stalled server is not hidden by a load generator that waits for it), the rotations
 * of every store on their periods, the faults of the schedule in windows scaled to the run's length (so a short run
 * meets each), and the server's heap after a full GC, live threads and open descriptors sampled once a bucket.
 */
final class SoakRun {

    /** When the first sample of the server's vitals is taken; the next follow a bucket apart. */
    static final long VITALS_OFFSET_MS = 2_500;

    /** The length of the full run the faults' nominal lengths are for. */
    static final Duration FULL = Duration.ofMinutes(30);

    record Sample(long startMs, long latencyMicros, String cause, boolean db) {}

    /** A fault window, and the calls the server made to the failing service(s) meanwhile. */
    record Window(String name, long startMs, long endMs, long calls) {}

    record Event(long atMs, String what) {}

    record Vitals(long atMs, long heap, long threads, long fds, long sockets) {}

    private final SoakFixture fixture;
    private final MockServer mock;
    private final URL base;
    private final Duration duration;
    private final int rate;
    private final HttpClient http;
    /** When the measured run began (after the warm-up). */
    private volatile long t0;

    final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    final List<Window> windows = Collections.synchronizedList(new ArrayList<>());
    final List<Event> rotations = Collections.synchronizedList(new ArrayList<>());
    final List<Vitals> vitals = Collections.synchronizedList(new ArrayList<>());
    /** When a vitals sample asked the server for its full GCs (which pause it). */
    final List<Long> gcs = Collections.synchronizedList(new ArrayList<>());

    final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    final Set<String> databaseUsers = ConcurrentHashMap.newKeySet();
    final AtomicLong sent = new AtomicLong();
    private final Map<String, Long> windowStarts = new ConcurrentHashMap<>();
    private final Map<String, Long> windowCalls = new ConcurrentHashMap<>();

    SoakRun(SoakFixture fixture, MockServer mock, URL base, Duration duration, int rate) {
        this.fixture = fixture;
        this.mock = mock;
        this.base = base;
        this.duration = duration;
        this.rate = rate;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    Duration duration() {
        return duration;
    }

    int rate() {
        return rate;
    }

    /** The width of a figure's bucket: a minute, or a twelfth of a run shorter than twelve minutes (5 s at least). */
    long bucketMs() {
        return Math.max(5_000, Math.min(60_000, duration.toMillis() / 12));
    }

    long nowMs() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * A warm-up at the rate, neither measured nor scheduled (the server's JIT, Liberty's executor growing to the load,
     * the client's connections), then the run.
     */
    SoakRun run(Duration warmUp) throws InterruptedException {
        t0 = System.nanoTime();
        load(warmUp.toSeconds() * rate, false);
        t0 = System.nanoTime();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "soak-schedule");
            thread.setDaemon(true);
            return thread;
        });
        try {
            every(
                    scheduler,
                    Duration.ofSeconds(30),
                    "Secrets Manager (AWSPENDING, then AWSCURRENT)",
                    fixture::rotateSecretsManager);
            every(scheduler, Duration.ofSeconds(10), "file (..data swap)", fixture::swapFile);
            every(scheduler, Duration.ofSeconds(45), "Parameter Store", fixture::rotateParameter);
            every(scheduler, Duration.ofSeconds(40), "Vault KV", fixture::rotateKv);
            watchLeases(scheduler);
            faults(scheduler);
            at(scheduler, 0.50, () -> {
                String moved = fixture.rotateKeyringAndReencrypt();
                rotations.add(new Event(nowMs(), "local keyring rotated, value re-encrypted"));
                notes.add("keyring rotation and reencrypt at " + nowMs() / 1000 + " s: " + moved);
            });
            // Off the rotations' beat (multiples of 5 s): the full GC of a sample must not land on a rotation.
            scheduler.scheduleAtFixedRate(this::sampleVitals, VITALS_OFFSET_MS, bucketMs(), TimeUnit.MILLISECONDS);
            load(duration.toSeconds() * rate, true);
            sampleVitals();
        } finally {
            scheduler.shutdownNow();
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
            mock.secretsManager().faults().reset();
            mock.ssm().faults().reset();
            mock.kms().faults().reset();
            mock.vault().faults().reset();
            mock.vault().unseal();
        }
        return this;
    }

    /**
     * The fault windows, at shares of the run, each as long as its nominal length scaled to the run (a tenth at
     * least).
     */
    private void faults(ScheduledExecutorService scheduler) {
        window(
                scheduler,
                "Secrets Manager 5xx burst",
                0.08,
                Duration.ofSeconds(15),
                () -> mock.secretsManager().faults().errorRate(1.0),
                () -> mock.secretsManager().faults().reset());
        window(
                scheduler,
                "Parameter Store 2 s latency",
                0.16,
                Duration.ofSeconds(30),
                () -> mock.ssm().faults().latency(Duration.ofSeconds(2)),
                () -> mock.ssm().faults().reset());
        window(
                scheduler,
                "Secrets Manager throttling",
                0.24,
                Duration.ofSeconds(30),
                () -> mock.secretsManager().faults().throttleRate(1.0),
                () -> mock.secretsManager().faults().reset());
        window(
                scheduler,
                "connection resets (Vault, Secrets Manager: half the calls)",
                0.32,
                Duration.ofSeconds(30),
                () -> {
                    mock.vault().faults().resetRate(0.5);
                    mock.secretsManager().faults().resetRate(0.5);
                },
                () -> {
                    mock.vault().faults().reset();
                    mock.secretsManager().faults().reset();
                });
        window(
                scheduler,
                "Parameter Store outage (every call 5xx)",
                0.40,
                Duration.ofMinutes(2),
                () -> mock.ssm().faults().errorRate(1.0),
                () -> mock.ssm().faults().reset());
        AtomicLong decrypts = new AtomicLong();
        window(
                scheduler,
                "AWS KMS throttling",
                0.58,
                Duration.ofMinutes(1),
                () -> {
                    decrypts.set(mock.kms().calls("Decrypt"));
                    mock.kms().faults().throttleRate(1.0);
                },
                () -> {
                    mock.kms().faults().reset();
                    notes.add("AWS KMS Decrypt calls during its throttling window: "
                            + (mock.kms().calls("Decrypt") - decrypts.get())
                            + " (the data key and the plaintext are cached after the first read)");
                });
        window(scheduler, "Vault sealed", 0.70, Duration.ofSeconds(30), mock.vault()::seal, mock.vault()::unseal);
        window(
                scheduler,
                "Vault 5xx burst",
                0.80,
                Duration.ofSeconds(15),
                () -> mock.vault().faults().errorRate(1.0),
                () -> mock.vault().faults().reset());
        window(
                scheduler,
                "Secrets Manager 5xx (half the calls)",
                0.90,
                Duration.ofSeconds(15),
                () -> mock.secretsManager().faults().errorRate(0.5),
                () -> mock.secretsManager().faults().reset());
    }

    private Duration scaled(Duration nominal) {
        double share = Math.max(0.1, Math.min(1.0, (double) duration.toMillis() / FULL.toMillis()));
        return Duration.ofMillis((long) (nominal.toMillis() * share));
    }

    private void window(
            ScheduledExecutorService scheduler, String name, double at, Duration nominal, Runnable on, Runnable off) {
        long start = (long) (duration.toMillis() * at);
        long length = scaled(nominal).toMillis();
        scheduler.schedule(
                () -> {
                    windowCalls.put(name, callsTo(name));
                    on.run();
                    windowStarts.put(name, nowMs());
                },
                start,
                TimeUnit.MILLISECONDS);
        scheduler.schedule(
                () -> {
                    off.run();
                    windows.add(new Window(
                            name,
                            windowStarts.getOrDefault(name, start),
                            nowMs(),
                            callsTo(name) - windowCalls.getOrDefault(name, 0L)));
                },
                start + length,
                TimeUnit.MILLISECONDS);
    }

    /** All calls so far to the service(s) a window's name begins with. */
    private long callsTo(String window) {
        if (window.startsWith("Secrets Manager")) {
            return mock.secretsManager().counter().total();
        }
        if (window.startsWith("Parameter Store")) {
            return mock.ssm().counter().total();
        }
        if (window.startsWith("AWS KMS")) {
            return mock.kms().counter().total();
        }
        if (window.startsWith("Vault")) {
            return mock.vault().counter().total();
        }
        return mock.vault().counter().total() + mock.secretsManager().counter().total();
    }

    private void at(ScheduledExecutorService scheduler, double share, Runnable action) {
        scheduler.schedule(
                guarded("scheduled action", action), (long) (duration.toMillis() * share), TimeUnit.MILLISECONDS);
    }

    private void every(ScheduledExecutorService scheduler, Duration period, String what, Runnable rotation) {
        scheduler.scheduleAtFixedRate(
                guarded(what, () -> {
                    rotation.run();
                    rotations.add(new Event(nowMs(), what));
                }),
                period.toMillis(),
                period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A re-issued lease is a rotation too: mp-secrets asks for it, the soak sees the engine's count go up. */
    private void watchLeases(ScheduledExecutorService scheduler) {
        AtomicLong seen = new AtomicLong(fixture.engine().issued(SoakFixture.ROLE));
        scheduler.scheduleWithFixedDelay(
                () -> {
                    long issued = fixture.engine().issued(SoakFixture.ROLE);
                    if (issued > seen.getAndSet(issued)) {
                        rotations.add(new Event(nowMs(), "Vault lease re-issued"));
                    }
                },
                250,
                250,
                TimeUnit.MILLISECONDS);
    }

    /** A failing action is noted (the report shows it), never the end of the schedule. */
    private Runnable guarded(String what, Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                notes.add(what + " failed at " + nowMs() / 1000 + " s: " + e);
            }
        };
    }

    private void sampleVitals() {
        gcs.add(nowMs());
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(uri("api/soak/vitals"))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonObject body = AppServer.json(answer.body());
            vitals.add(new Vitals(
                    nowMs(),
                    body.getJsonNumber("heap").longValue(),
                    body.getJsonNumber("threads").longValue(),
                    body.getJsonNumber("fds").longValue(),
                    body.getJsonNumber("sockets").longValue()));
        } catch (IOException | RuntimeException e) {
            notes.add("vitals sample failed at " + nowMs() / 1000 + " s: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests at the fixed rate, then waits for the last answers; recorded, or only sent (the warm-up). */
    private void load(long total, boolean record) throws InterruptedException {
        long period = 1_000_000_000L / rate;
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            long due = t0 + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean db = i % 20 == 0;
            long dueMs = (due - t0) / 1_000_000;
            if (record) {
                sent.incrementAndGet();
            }
            java.util.concurrent.CompletableFuture<?> answer = http.sendAsync(
                            HttpRequest.newBuilder(uri(db ? "api/soak?db=true" : "api/soak"))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        long latency = (System.nanoTime() - due) / 1_000;
                        if (record) {
                            samples.add(new Sample(
                                    dueMs, latency, failure == null ? cause(response, db) : cause(failure), db));
                        }
                        return null;
                    });
            pending.add(answer);
            if (pending.size() >= 10_000) {
                pending.removeIf(java.util.concurrent.CompletableFuture::isDone);
            }
        }
        for (java.util.concurrent.CompletableFuture<?> answer : pending) {
            try {
                answer.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                notes.add("an answer never came: " + e);
            }
        }
    }

    /** Null for a good answer (every value one that was current once); otherwise the cause, as the report counts it. */
    private String cause(HttpResponse<String> response, boolean db) {
        JsonObject body;
        try {
            body = AppServer.json(response.body());
        } catch (RuntimeException e) {
            return "HTTP " + response.statusCode() + " without a JSON answer";
        }
        JsonObject failed = body.getJsonObject("failed");
        if (failed != null && !failed.isEmpty()) {
            Map.Entry<String, JsonValue> first = failed.entrySet().iterator().next();
            return "refused: " + first.getKey() + " " + ((JsonString) first.getValue()).getString();
        }
        if (response.statusCode() != 200) {
            return "HTTP " + response.statusCode();
        }
        JsonObject values = body.getJsonObject("values");
        for (String property : SoakResource.PROPERTIES) {
            if (!values.containsKey(property)) {
                return "missing: " + property;
            }
            if (!fixture.wasCurrent(property, values.getString(property))) {
                return "a value never current: " + property;
            }
        }
        if (db) {
            if (!values.containsKey("soak.db") || !"3".equals(values.getString("soak.db.orders", ""))) {
                return "database: no answer";
            }
            databaseUsers.add(values.getString("soak.db"));
        }
        return null;
    }

    private static String cause(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "timed out (30 s)";
        }
        return "no answer: " + cause.getClass().getSimpleName();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + base.getPort() + base.getPath() + path);
    }

    /** A sample's window, if it started while one was open. */
    String windowAt(long atMs) {
        synchronized (windows) {
            for (Window window : windows) {
                if (atMs >= window.startMs() && atMs < window.endMs()) {
                    return window.name();
                }
            }
        }
        return null;
    }

    /** Whether a sample started within {@code ms} after a vitals sample's full GC. */
    boolean afterGc(long atMs, long ms) {
        synchronized (gcs) {
            return gcs.stream().anyMatch(at -> atMs >= at && atMs < at + ms);
        }
    }

    /** The rotation a sample started within {@code ms} after, if any (the latest). */
    String rotationBefore(long atMs, long ms) {
        String found = null;
        synchronized (rotations) {
            for (Event rotation : rotations) {
                if (atMs >= rotation.atMs() && atMs < rotation.atMs() + ms) {
                    found = rotation.what();
                }
            }
        }
        return found;
    }
}
