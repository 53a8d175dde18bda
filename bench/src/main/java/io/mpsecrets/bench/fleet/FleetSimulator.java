package io.mpsecrets.bench.fleet;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.aws.secretsmanager.AwsSecretsManagerStore;
import io.mpsecrets.cache.CachePolicy;
import io.mpsecrets.cache.CachedSecret;
import io.mpsecrets.cache.RevalidatingFetch;
import io.mpsecrets.cache.SecretCache;
import io.mpsecrets.cache.StartupFetch;
import io.mpsecrets.rotation.RotationWatcher;
import io.mpsecrets.runtime.StoreSecrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * A fleet of application instances reading their secrets from simulated AWS services that enforce the published
 * quotas, on a virtual clock. Each instance runs mp-secrets' own policy code: {@link StartupFetch} for its start-up,
 * {@link SecretCache} with {@link RevalidatingFetch} for its reads (TTLs, single flight, stale-if-error, backoff),
 * {@link RotationWatcher#delayNanos} for its rotation checks, {@link Backoff} for its waits. What is simulated: the
 * services (token buckets, answering at once or with a throttling error after a round trip of {@link #CALL}), the
 * AWS SDK's standard retries around every call at start-up (3 attempts, exponential delay with full jitter, base 1 s,
 * max 20 s; the SDK's retry circuit breaker is left out), and Kubernetes restarting an instance whose start-up
 * failed (10 s doubling to 5 min). One thread; 10,000 instances take seconds.
 */
final class FleetSimulator {

    /** One call's round trip inside a region. */
    static final long CALL = Duration.ofMillis(20).toNanos();

    static final int SDK_ATTEMPTS = 3;
    static final int BATCH = 20;
    /** In steady state, an instance reads each of its secrets at least this often. */
    static final long READ_EVERY = Duration.ofSeconds(60).toNanos();

    private static final long SECOND = 1_000_000_000L;
    /** A fleet that never gets ready is given up on after this long (virtual time). */
    static final long HORIZON = Duration.ofHours(2).toNanos();

    private record Event(long at, long seq, Runnable action) {}

    /** The watchers' warnings of a failed batched round, one per instance and streak: counted at the API instead. */
    private static final java.util.logging.Logger ROTATION_LOG = quiet();

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.mpsecrets.rotation");
        log.setLevel(java.util.logging.Level.OFF);
        return log;
    }

    private final Scenario scenario;
    private final SplittableRandom random;
    private final PriorityQueue<Event> events =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    /** Null where the store has no batch read. */
    private final Api batch;

    private final Api single;
    /** The rotation check and TTL revalidation: {@code single} itself where the store has no cheaper call. */
    private final Api describe;
    /**
     * The batched version check ({@code ListSecrets}) where the store's default has one; null otherwise. With it,
     * each sampled instance runs the real {@link AwsSecretsManagerStore} over {@link SimulatedSecretsManager} and a
     * {@link RotationWatcher} whose rounds stand in for the TTL refreshes, as {@code StoreSecrets} starts one.
     */
    private final Api list;
    /** For the batched checks' waits: apart from {@link #random}, so that the restart's figures do not move. */
    private final SplittableRandom checkRandom;
    /** Secret 0's second version is current from here on (virtual time), when the run measures a rotation. */
    private long rotatedAt = Long.MAX_VALUE;

    private boolean rotating;
    /** How long after a rotation {@code ListSecrets} still shows the old version (AWS: up to five minutes). */
    private long listLag;
    /** The longest time from the rotation until a sampled instance's cache held the new version. */
    private long rotationSeen = -1;

    private int rotationSeenBy;
    private int sampledReady;

    private final Api kms;
    /** The credential's token, asked for once per start; null where none is counted. */
    private final Api token;

    private final Optional<Backoff> retries;
    private final List<SecretId> ids = new ArrayList<>();
    private final CachePolicy cachePolicy;
    private final StartupFetch.Policy startupPolicy;
    private final SecretStore store = new SimulatedStore();
    private long now;
    private long seq;
    private long processed;
    private int failedStartups;
    private int ready;
    private long lastReady;
    private long slowest;
    /** Reads in sampled instances that the application saw fail, and that were served stale instead. */
    private long failedReads;

    private long staleReads;
    /** The same, counted in the steady-state window only. */
    private long steadyFailedReads;

    private long steadyStaleReads;
    private long lastStale = -1;
    private long end = Long.MAX_VALUE;

    FleetSimulator(Scenario scenario) {
        this.scenario = scenario;
        this.random = new SplittableRandom(scenario.seed());
        Quotas quotas = scenario.quotas();
        batch = quotas.batch().map(Api::new).orElse(null);
        single = new Api(quotas.single());
        describe = quotas.check().map(Api::new).orElse(single);
        // Only the sampled instances list (in steady state): they get their share of the fleet's quota.
        double sampleShare = Math.min(1, scenario.cacheSample() / (double) scenario.instances());
        list = scenario.policies() == Scenario.Policies.AFTER
                ? quotas.list().map(limit -> new Api(limit, sampleShare)).orElse(null)
                : null;
        checkRandom = new SplittableRandom(scenario.seed() * 31 + 7);
        kms = new Api(quotas.kms());
        token = quotas.token().map(Api::new).orElse(null);
        if (batch == null && scenario.policies() == Scenario.Policies.BEFORE) {
            throw new IllegalArgumentException("the policies before were only ever run with a batch read");
        }
        for (int i = 0; i < scenario.secrets(); i++) {
            ids.add(SecretId.of("fleet/secret-" + i));
        }
        cachePolicy = new CachePolicy(
                scenario.ttl(),
                CachePolicy.DEFAULT.maxStale(),
                CachePolicy.DEFAULT.backoffBase(),
                CachePolicy.DEFAULT.backoffMax(),
                CachePolicy.DEFAULT.grace());
        SplittableRandom policyRandom = random.split();
        startupPolicy = StartupFetch.Policy.DEFAULT.withRandom(() -> policyRandom);
        retries = quotas.retries().map(r -> new Backoff(r.base(), r.max(), () -> random));
        scenario.outage().ifPresent(outage -> {
            for (Api api : storeApis()) {
                api.outage(outage.fromNanos(), outage.toNanos());
            }
        });
    }

    Api api(String name) {
        for (Api api : apis()) {
            if (api.name.equals(name)) {
                return api;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** Every API called, each once (a store whose check is its read has one API for both). */
    List<Api> apis() {
        List<Api> apis = new ArrayList<>(storeApis());
        apis.add(kms);
        if (token != null) {
            apis.add(token);
        }
        return apis;
    }

    /** The store's own APIs: batch read where there is one, single read, check where it is another call. */
    private List<Api> storeApis() {
        List<Api> apis = new ArrayList<>();
        if (batch != null) {
            apis.add(batch);
        }
        apis.add(single);
        if (describe != single) {
            apis.add(describe);
        }
        if (list != null) {
            apis.add(list);
        }
        return apis;
    }

    /**
     * Measures a rotation: secret 0 gets a new version as the steady-state window starts; {@code ListSecrets} shows
     * it {@code lag} later ({@code DescribeSecret} and {@code GetSecretValue} at once).
     */
    FleetSimulator rotating(Duration lag) {
        rotating = true;
        listLag = lag.toNanos();
        return this;
    }

    /** Secret {@code id}'s current version now, as a listing or as the per-secret calls tell it. */
    private String version(String path, boolean listing) {
        boolean rotated = path.equals(ids.get(0).path()) && now - rotatedAt >= (listing ? listLag : 0);
        return rotated ? "v2" : "v1";
    }

    private void at(long time, Runnable action) {
        events.add(new Event(time, seq++, action));
    }

    FleetResult run() {
        long started = System.nanoTime();
        long spread = scenario.startSpread().toNanos();
        for (int i = 0; i < scenario.instances(); i++) {
            Instance instance = new Instance(i < scenario.cacheSample());
            at(spread == 0 ? 0 : random.nextLong(spread), instance::start);
        }
        while (!events.isEmpty()) {
            Event event = events.poll();
            if (event.at() > end || event.at() > HORIZON) {
                break;
            }
            now = event.at();
            processed++;
            event.action().run();
            if (ready == scenario.instances() && end == Long.MAX_VALUE) {
                long settle = Math.max(scenario.ttl().toNanos(), READ_EVERY) + SECOND;
                end = lastReady + settle + scenario.steadyWindow().toNanos();
                if (rotating) {
                    rotatedAt = end - scenario.steadyWindow().toNanos();
                }
            }
        }
        return result((System.nanoTime() - started) / 1e9);
    }

    private FleetResult result(double wallSeconds) {
        if (ready < scenario.instances()) {
            lastReady = Math.min(now, HORIZON);
            end = lastReady;
        }
        int restartEnd = (int) Math.ceil(lastReady / (double) SECOND) + 1;
        double readySeconds = Math.max(lastReady, 1) / (double) SECOND;
        long steadyFrom = end - scenario.steadyWindow().toNanos();
        int fromSecond = (int) (steadyFrom / SECOND);
        int toSecond = (int) (end / SECOND);
        double scale = scenario.instances() / (double) Math.min(scenario.instances(), scenario.cacheSample());
        List<FleetResult.ApiFigures> figures = new ArrayList<>();
        for (Api api : apis()) {
            figures.add(new FleetResult.ApiFigures(
                    api.name,
                    api.quota(),
                    api.peak(0, restartEnd),
                    api.calls(0, restartEnd) / readySeconds,
                    api.throttled(0, restartEnd),
                    ready == scenario.instances()
                            ? api.calls(fromSecond, toSecond) * scale / Math.max(1, toSecond - fromSecond)
                            : Double.NaN));
        }
        return new FleetResult(
                scenario,
                readySeconds,
                lowerBound(scenario),
                failedStartups,
                ready,
                slowest / (double) SECOND,
                figures,
                processed,
                wallSeconds,
                scenario.outage()
                        .filter(outage -> ready == scenario.instances() && outage.fromNanos() > lastReady)
                        .map(outage -> outageFigures(outage, scale)),
                Math.round(steadyFailedReads * scale),
                Math.round(steadyStaleReads * scale),
                rotating && rotationSeenBy == sampledReady && rotationSeen >= 0
                        ? rotationSeen / (double) SECOND
                        : Double.NaN);
    }

    /** A steady-state outage: only the sampled instances read then, so their figures are scaled to the fleet. */
    private FleetResult.OutageFigures outageFigures(Scenario.Outage outage, double scale) {
        int from = (int) (outage.fromNanos() / SECOND);
        int to = (int) (outage.toNanos() / SECOND);
        List<FleetResult.ApiOutage> apis = new ArrayList<>();
        for (Api api : storeApis()) {
            if (api == batch) {
                continue;
            }
            apis.add(new FleetResult.ApiOutage(
                    api.name,
                    api.quota(),
                    api.calls(from, to) * scale / Math.max(1, to - from),
                    api.peak(to, to + 60) * scale));
        }
        return new FleetResult.OutageFigures(
                Math.round(failedReads * scale),
                Math.round(staleReads * scale),
                lastStale > outage.toNanos() ? (lastStale - outage.toNanos()) / (double) SECOND : 0,
                apis);
    }

    /**
     * The quota-bound lower limit of a restart: every instance's secrets over batch and single reads together, and
     * its data keys over {@code Decrypt}; the slower of the two. A quota counted over a window longer than a second
     * serves its first window's calls at once: those beyond one second's come off.
     */
    static double lowerBound(Scenario scenario) {
        Quotas quotas = scenario.quotas();
        double reads = (double) scenario.instances() * scenario.secrets();
        double secrets = Math.max(0, reads - quotas.secretsBurst(BATCH)) / quotas.secretsPerSecond(BATCH);
        double unwraps = (double) scenario.instances() * scenario.dataKeys();
        double keys =
                Math.max(0, unwraps - quotas.kms().perSecond() * (quotas.kms().windowSeconds() - 1))
                        / quotas.kmsDecrypt();
        return Math.max(secrets, Double.isNaN(keys) ? 0 : keys);
    }

    /**
     * The client's retries: the AWS SDK's standard ones (up to 3 attempts, exponential delay with full jitter, base
     * 1 s, max 20 s) or the backend's own ({@link Quotas.Retries}: Key Vault's and Google's clients), for throttling
     * and 5xx alike; the last failure goes to {@code refused}.
     */
    private void sdk(Api api, int attempt, String where, Runnable answered, Consumer<SecretException> refused) {
        Api.Answer answer = api.answer(now);
        int attempts = scenario.quotas().retries().map(Quotas.Retries::attempts).orElse(SDK_ATTEMPTS);
        if (answer == Api.Answer.ANSWERED) {
            at(now + CALL, answered);
        } else if (attempt < attempts) {
            long wait = retries.isPresent()
                    ? retries.get().nanos(attempt)
                    : (long) (random.nextDouble() * Math.min(20 * SECOND, SECOND << (attempt - 1)));
            at(now + CALL + wait, () -> sdk(api, attempt + 1, where, answered, refused));
        } else {
            at(now + CALL, () -> refused.accept(failure(answer, where)));
        }
    }

    private static SecretException failure(Api.Answer answer, String where) {
        return answer == Api.Answer.THROTTLED
                ? new ServiceUnavailableException(
                        FailureReason.THROTTLED, SecretRef.secret("aws", where), "Rate exceeded", null)
                : new ServiceUnavailableException(
                        FailureReason.UNAVAILABLE, SecretRef.secret("aws", where), "InternalServiceError", null);
    }

    /** Secrets Manager as an instance's cache sees it after start-up: one call per read, no SDK retries. */
    private final class SimulatedStore implements SecretStore {
        @Override
        public String name() {
            return "aws";
        }

        @Override
        public SecretValue fetch(SecretId id) {
            Api.Answer answer = single.answer(now);
            if (answer != Api.Answer.ANSWERED) {
                throw failure(answer, id.path());
            }
            return SecretValue.ofUtf8("value", version(id.path(), false), null);
        }

        @Override
        public Optional<String> currentVersion(SecretId id) {
            Api.Answer answer = describe.answer(now);
            if (answer != Api.Answer.ANSWERED) {
                throw failure(answer, id.path());
            }
            return Optional.of(version(id.path(), false));
        }
    }

    /**
     * Key Vault as the real {@code KeyVaultSecretStore} asks it after start-up, once it has read every secret (so its
     * batched check can vouch for each): Get Secret for a value and for a check by itself, and for
     * {@link #currentVersions} Get Secrets, 25 secrets a page, over a vault holding the fleet's secrets only. The
     * store's own listing code runs against the mock (its tests), not here: its calls are what is simulated.
     */
    private final class SimulatedVault implements SecretStore {
        static final int PAGE = 25;

        @Override
        public String name() {
            return "azure";
        }

        @Override
        public SecretValue fetch(SecretId id) {
            return store.fetch(id);
        }

        @Override
        public Optional<String> currentVersion(SecretId id) {
            return store.currentVersion(id);
        }

        @Override
        public Map<SecretId, String> currentVersions(java.util.Collection<SecretId> asked) {
            for (int page = 0; page < (asked.size() + PAGE - 1) / PAGE; page++) {
                Api.Answer answer = list.answer(now);
                if (answer != Api.Answer.ANSWERED) {
                    throw failure(answer, "Get Secrets");
                }
            }
            Map<SecretId, String> out = new HashMap<>();
            asked.forEach(id -> out.put(id, version(id.path(), true)));
            return out;
        }
    }

    /**
     * Secrets Manager's SDK client as the real {@link AwsSecretsManagerStore} calls it after start-up: one call per
     * request, throttled or failed as its API's bucket says (no SDK retries, as {@link SimulatedStore}); the account
     * holds the fleet's 50 secrets. {@code ListSecrets} filters by name prefixes and pages as AWS does.
     */
    private final class SimulatedSecretsManager implements SecretsManagerClient {
        @Override
        public String serviceName() {
            return "secretsmanager";
        }

        @Override
        public void close() {}

        private void call(Api api) {
            Api.Answer answer = api.answer(now);
            if (answer != Api.Answer.ANSWERED) {
                boolean throttled = answer == Api.Answer.THROTTLED;
                throw SecretsManagerException.builder()
                        .statusCode(throttled ? 400 : 500)
                        .message(throttled ? "Rate exceeded" : "InternalServiceError")
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode(throttled ? "ThrottlingException" : "InternalServiceError")
                                .errorMessage(throttled ? "Rate exceeded" : "InternalServiceError")
                                .build())
                        .build();
            }
        }

        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
            call(single);
            return GetSecretValueResponse.builder()
                    .name(request.secretId())
                    .secretString("value")
                    .versionId(version(request.secretId(), false))
                    .build();
        }

        @Override
        public DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
            call(describe);
            return DescribeSecretResponse.builder()
                    .name(request.secretId())
                    .versionIdsToStages(Map.of(version(request.secretId(), false), List.of("AWSCURRENT")))
                    .build();
        }

        @Override
        public ListSecretsResponse listSecrets(ListSecretsRequest request) {
            call(list);
            List<String> prefixes =
                    request.filters().stream().flatMap(f -> f.values().stream()).toList();
            List<String> matching = ids.stream()
                    .map(SecretId::path)
                    .filter(name -> prefixes.isEmpty() || prefixes.stream().anyMatch(name::startsWith))
                    .sorted()
                    .toList();
            int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
            int max = request.maxResults() == null ? 100 : request.maxResults();
            List<SecretListEntry> page = new ArrayList<>();
            for (int i = from; i < Math.min(matching.size(), from + max); i++) {
                String name = matching.get(i);
                page.add(SecretListEntry.builder()
                        .name(name)
                        .secretVersionsToStages(Map.of(version(name, true), List.of("AWSCURRENT")))
                        .build());
            }
            return ListSecretsResponse.builder()
                    .secretList(page)
                    .nextToken(from + max < matching.size() ? Integer.toString(from + max) : null)
                    .build();
        }
    }

    private final class Instance {
        private final boolean sampled;
        private int restarts;
        private long deadline;
        private StartupFetch fetch;
        private SecretCache cache;
        private boolean pollStarted;
        private long firstStart = -1;
        /** The store its reads go to: the real AWS store in batched mode, else {@link SimulatedStore}. */
        private SecretStore reads = store;

        private RotationWatcher batched;
        private Duration batchInterval;
        private boolean sawRotation;

        Instance(boolean sampled) {
            this.sampled = sampled;
        }

        void start() {
            if (firstStart < 0) {
                firstStart = now;
            }
            deadline = now + scenario.startupTimeout().toNanos();
            if (token != null) {
                // The first request asks for a token (Entra ID, Google's token endpoint), held for the run.
                sdk(token, 1, "token", this::fetch, failure -> failed());
            } else {
                fetch();
            }
        }

        private void fetch() {
            if (scenario.policies() == Scenario.Policies.AFTER) {
                fetch = new StartupFetch(ids, batch != null, startupPolicy);
                next();
            } else {
                chunk(0);
            }
        }

        /**
         * Now: one call as StartupFetch decides it, behind the SDK's retries; none once the time without answer is up.
         */
        private void next() {
            if (now - deadline > 0) {
                failed(); // as StartupFetch.run: the store gave no answer within the start-up timeout
                return;
            }
            Optional<StartupFetch.Call> call = fetch.next(now);
            if (call.isEmpty()) {
                fetch.fetched().values().forEach(SecretValue::destroy);
                unwrap(scenario.dataKeys());
                return;
            }
            StartupFetch.Call c = call.get();
            sdk(
                    c.batch() ? batch : single,
                    1,
                    c.ids().get(0).path(),
                    () -> {
                        Map<SecretId, SecretValue> values = new HashMap<>();
                        c.ids().forEach(id -> values.put(id, SecretValue.ofUtf8("value", "v1", null)));
                        fetch.succeeded(c, values);
                        deadline = now + scenario.startupTimeout().toNanos();
                        next();
                    },
                    failure -> {
                        // As StartupFetch.run: throttling is an answer, so the start-up timeout starts again; a 5xx
                        // is not.
                        long wait = fetch.failed(c, failure, now);
                        if (failure.reason() == FailureReason.THROTTLED) {
                            deadline = now + scenario.startupTimeout().toNanos();
                        }
                        at(now + wait, this::next);
                    });
        }

        /** Before: one fetchAll, batch after batch; one that stays throttled fails it, and so does the timeout. */
        private void chunk(int from) {
            if (from >= scenario.secrets()) {
                unwrap(scenario.dataKeys());
                return;
            }
            sdk(
                    batch,
                    1,
                    "batch",
                    () -> {
                        if (now - deadline > 0) {
                            failed();
                        } else {
                            chunk(from + BATCH);
                        }
                    },
                    failure -> failed());
        }

        /** The data keys of its ENC values, unwrapped by KMS as values are injected; a read that fails fails it. */
        private void unwrap(int left) {
            if (left == 0) {
                ready();
                return;
            }
            sdk(kms, 1, "data key", () -> unwrap(left - 1), failure -> failed());
        }

        private void failed() {
            failedStartups++;
            restarts++;
            long crashLoop = Math.min(300 * SECOND, (10 * SECOND) << Math.min(5, restarts - 1));
            at(now + crashLoop, this::start);
        }

        private void ready() {
            ready++;
            lastReady = Math.max(lastReady, now);
            slowest = Math.max(slowest, now - firstStart);
            if (!sampled) {
                return;
            }
            cache = new SecretCache(() -> now, new SecretCache.Listener() {
                @Override
                public void fetched(SecretCache.Key key, SecretValue value, String property) {}

                @Override
                public void failed(
                        SecretCache.Key key, SecretException failure, boolean servedStale, String property) {}
            });
            Map<SecretId, SecretValue> values = new HashMap<>();
            ids.forEach(id -> values.put(id, SecretValue.ofUtf8("value", "v1", null)));
            cache.putAll("aws", values, cachePolicy);
            sampledReady++;
            at(now + random.nextLong(READ_EVERY), this::read);
            if (list != null) {
                // As StoreSecrets: one batched round per interval stands in for TTL refreshes and rotation checks.
                SecretStore aws = scenario.quotas().store().startsWith("azure")
                        ? new SimulatedVault()
                        : new AwsSecretsManagerStore(
                                new SimulatedSecretsManager(), AwsSecretsManagerStore.VersionChecks.DEFAULT);
                reads = aws;
                batchInterval = StoreSecrets.batchInterval(scenario.ttl(), scenario.rotationInterval());
                batched = RotationWatcher.manual(
                        cache,
                        new RotationWatcher.Stores() {
                            @Override
                            public Optional<SecretStore> store(String name) {
                                return Optional.of(aws);
                            }

                            @Override
                            public CachePolicy policy(String name) {
                                return cachePolicy;
                            }

                            @Override
                            public void checkFailed(SecretCache.Key key, SecretException failure) {}

                            @Override
                            public boolean batched(String name) {
                                return true;
                            }
                        },
                        batchInterval);
                at(now + RotationWatcher.delayNanos(batchInterval, true, checkRandom), this::batchRound);
                return;
            }
            scenario.rotationInterval().ifPresent(interval -> at(now + pollDelay(interval), this::poll));
        }

        private void batchRound() {
            batched.poll();
            noteRotation();
            at(now + RotationWatcher.delayNanos(batchInterval, false, checkRandom), this::batchRound);
        }

        /** Once its cache holds the rotated secret's new version: how long after the rotation that was. */
        private void noteRotation() {
            if (sawRotation || now < rotatedAt) {
                return;
            }
            Optional<String> held =
                    cache.peek(new SecretCache.Key("aws", ids.get(0))).flatMap(CachedSecret::version);
            if (held.equals(Optional.of("v2"))) {
                sawRotation = true;
                rotationSeenBy++;
                rotationSeen = Math.max(rotationSeen, now - rotatedAt);
            }
        }

        private void read() {
            for (SecretId id : ids) {
                SecretCache.Key key = new SecretCache.Key("aws", id);
                try {
                    CachedSecret served = cache.get(
                            key,
                            cachePolicy,
                            () -> scenario.policies() == Scenario.Policies.AFTER
                                    ? RevalidatingFetch.fetch(cache, key, reads, true)
                                    : store.fetch(id),
                            null);
                    if (!served.freshAt(now)) {
                        staleReads++; // past its TTL: the store could not be asked, or did not answer
                        lastStale = now;
                        if (inSteadyWindow()) {
                            steadyStaleReads++;
                        }
                    }
                } catch (SecretException e) {
                    failedReads++; // the application's read failed: no value, not even a stale one
                    if (inSteadyWindow()) {
                        steadyFailedReads++;
                    }
                }
            }
            noteRotation();
            at(now + READ_EVERY, this::read);
        }

        private boolean inSteadyWindow() {
            return end != Long.MAX_VALUE && now >= end - scenario.steadyWindow().toNanos();
        }

        private long pollDelay(Duration interval) {
            boolean first = !pollStarted;
            pollStarted = true;
            if (scenario.policies() == Scenario.Policies.AFTER) {
                return RotationWatcher.delayNanos(interval, first, random);
            }
            // Before: every check one interval (less up to 0.5 s) after the last, the first one after start.
            return RotationWatcher.delayNanos(interval, false, random);
        }

        private void poll() {
            for (SecretId id : ids) {
                try {
                    Optional<String> version = store.currentVersion(id);
                    SecretCache.Key key = new SecretCache.Key("aws", id);
                    if (!version.equals(cache.peek(key).flatMap(CachedSecret::version))) {
                        // As RotationWatcher.poll: a new version is read and swapped in.
                        cache.replace(key, store.fetch(id), cachePolicy);
                    } else if (scenario.policies() == Scenario.Policies.AFTER) {
                        // As RotationWatcher.poll: a confirmed version stays fresh for another TTL.
                        cache.renew(key, version.orElseThrow(), cachePolicy);
                    }
                } catch (SecretException e) {
                    // counted at the service; the watcher tries again next round
                }
            }
            noteRotation();
            at(now + pollDelay(scenario.rotationInterval().orElseThrow()), this::poll);
        }
    }
}
