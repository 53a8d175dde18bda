package io.mpsecrets.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpsecrets.cache.CachePolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The simulator against cases small enough to work out by hand. */
class FleetSimulatorTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Quotas AMPLE = new Quotas(1_000, 1_000, 1_000, 1_000);
    private static final Quotas ONE_A_SECOND = new Quotas(1, 1, 1, 1);

    private static Scenario small(Scenario.Policies policies, Quotas quotas, int dataKeys, Duration steady) {
        return new Scenario(
                "3 x 2",
                3,
                2,
                dataKeys,
                Duration.ZERO,
                policies,
                7,
                quotas,
                Duration.ofMinutes(5),
                Optional.empty(),
                Duration.ofSeconds(10),
                steady,
                100);
    }

    private static final Quotas AMPLE_LISTING = AMPLE.withList("ListSecrets", 1_000);

    private static Scenario secrets(int secrets, Quotas quotas, Duration steady) {
        Scenario three = small(Scenario.Policies.AFTER, quotas, 1, steady);
        return three.with(three.instances(), secrets, three.dataKeys(), quotas);
    }

    private static FleetResult.ApiFigures api(FleetResult result, String name) {
        return result.apis().stream()
                .filter(a -> a.api().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aBucketHoldsOneSecondOfCallsAndRefillsAtTheQuotasRate() {
        TokenBucket one = new TokenBucket(1);
        assertTrue(one.take(0));
        assertFalse(one.take(SECOND / 2));
        assertTrue(one.take(SECOND));
        assertFalse(one.take(SECOND + 1));

        TokenBucket hundred = new TokenBucket(100);
        for (int i = 0; i < 100; i++) {
            assertTrue(hundred.take(0));
        }
        assertFalse(hundred.take(0));
        assertTrue(hundred.take(SECOND / 100), "a token every 10 ms");
        assertFalse(hundred.take(SECOND / 100));
    }

    @Test
    void theLowerLimitIsTheSlowestApiOverItsQuotaUsingEveryApiThatCanServeTheRead() {
        // 500,000 reads over 100 batches of 20 and 10,000 single reads a second: 500,000 / 12,000 s.
        assertThat(FleetSimulator.lowerBound(Scenario.restart(10_000, Scenario.Policies.AFTER)))
                .isCloseTo(41.667, within(0.001));
        assertThat(FleetSimulator.lowerBound(Scenario.restart(50_000, Scenario.Policies.AFTER)))
                .isCloseTo(208.333, within(0.001));
        // 100 data keys each: 1,000,000 Decrypt at 5,500 a second is slower than 10,000 reads.
        Scenario keys = Scenario.restart(10_000, Scenario.Policies.AFTER).with(10_000, 1, 100, Quotas.AWS);
        assertThat(FleetSimulator.lowerBound(keys)).isCloseTo(181.818, within(0.001));
    }

    @Test
    void withAmpleQuotasThreeInstancesMakeOneBatchCallAndOneDecryptEach() {
        FleetResult result = new FleetSimulator(small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofMinutes(10))).run();
        assertEquals(3, result.ready());
        assertEquals(0, result.failedStartups());
        // A batch call then a Decrypt, 20 ms each.
        assertThat(result.readySeconds()).isCloseTo(0.04, within(1e-9));
        assertEquals(0, api(result, "BatchGetSecretValue").throttled());
        assertThat(api(result, "BatchGetSecretValue").restartMean() * result.readySeconds())
                .isCloseTo(3, within(1e-9));
        assertThat(api(result, "KMS Decrypt").restartMean() * result.readySeconds())
                .isCloseTo(3, within(1e-9));
        assertEquals(0, api(result, "GetSecretValue").peak());
    }

    @Test
    void batchedChecksAreOneListingPerInstanceEveryNineTenthsOfTheTtlAndNothingElse() {
        // (An hour: the run stops at 2 hours of virtual time, so a longer window would count calls it never made.)
        // 3 instances x 2 secrets in one folder, TTL 300 s: a round every 270 s (less up to 0.5 s of jitter), one
        // page each: 3 / 270 = 0.0111 a second, over an hour (13 or 14 rounds each), and one DescribeSecret a round
        // (one secret in turn asked by itself, to see a revoked permission). Each round renews both values before
        // their TTL runs out, so no read asks DescribeSecret and none reads a value again.
        FleetResult result = new FleetSimulator(secrets(2, AMPLE_LISTING, Duration.ofHours(1))).run();
        assertThat(api(result, "ListSecrets").steadyMean()).isCloseTo(3 / 270.0, within(0.0006));
        assertThat(api(result, "DescribeSecret").steadyMean()).isCloseTo(3 / 270.0, within(0.0006));
        assertThat(api(result, "GetSecretValue").steadyMean()).isZero();
        assertEquals(0, result.steadyStaleReads());
        assertEquals(0, result.steadyFailedReads());
    }

    @Test
    void twoHundredFiftySecretsInOneFolderAreThreePagesARound() {
        // 250 names in one folder: one listing by the folder, 100 a page: 3 pages a round; the budget (25 pages,
        // what listings by 10 names would take, capped at 20) is not reached, so the folder stays the filter.
        FleetResult result = new FleetSimulator(secrets(250, AMPLE_LISTING, Duration.ofHours(1))).run();
        assertThat(api(result, "ListSecrets").steadyMean()).isCloseTo(3 * 3 / 270.0, within(0.0017));
        assertThat(api(result, "DescribeSecret").steadyMean()).isCloseTo(3 / 270.0, within(0.0006));
    }

    @Test
    void aChangeTheListingShowsIsConfirmedOnceAndSeenWithinTheLagAndOneRound() {
        // Secret 0 rotates as the window starts. Listing up to date: each instance sees it at its next round, within
        // 270 s (confirmed by DescribeSecret, or asked by itself as the round's one), and reads it once.
        FleetSimulator current = new FleetSimulator(secrets(2, AMPLE_LISTING, Duration.ofMinutes(20)));
        FleetResult seen = current.rotating(Duration.ZERO).run();
        assertThat(seen.rotationSeenSeconds()).isBetween(0.0, 270.0);
        // At start-up 2 secrets are one batch call; GetSecretValue reads only the rotated version.
        assertEquals(3, current.api("GetSecretValue").calls(0, 100_000));

        // Listing 5 minutes late: seen when the listing shows it (within 300 + 270 s), or earlier when secret 0 is
        // the round's one asked by itself (every other round with 2 secrets).
        FleetResult late = new FleetSimulator(secrets(2, AMPLE_LISTING, Duration.ofMinutes(20)))
                .rotating(Duration.ofMinutes(5))
                .run();
        assertThat(late.rotationSeenSeconds()).isBetween(0.0, 570.0);
    }

    @Test
    void aThrottledListingFallsBackToOneDescribeSecretPerSecretThatRoundAndIsAskedLessOften() {
        // ListSecrets never answers (a bucket of 0.001 calls holds no whole token). Each throttled listing halves the
        // share of rounds that list (RotationWatcher): an instance lists in its rounds 1, 3, 7 and 15, and the run
        // (ready at 0.04 s, a settling TTL of 301 s, then the hour: 3,901 s) holds 14 or 15 rounds of 270 s, so 3
        // or 4 listings each, 9 to 12 in all (42 to 45 before). Every round, listed or not, is 2 DescribeSecret (the
        // round's own one and the other) per instance: 6 / 270 a second; no read fails or is stale.
        FleetSimulator simulator =
                new FleetSimulator(secrets(2, AMPLE.withList("ListSecrets", 0.001), Duration.ofHours(1)));
        FleetResult result = simulator.run();
        assertThat(simulator.api("ListSecrets").calls(0, 100_000)).isBetween(9L, 12L);
        assertThat(api(result, "DescribeSecret").steadyMean()).isCloseTo(6 / 270.0, within(0.0012));
        assertThat(api(result, "GetSecretValue").steadyMean()).isZero();
        assertEquals(0, simulator.api("ListSecrets").peakAnswered(0, 100_000));
        assertEquals(0, result.steadyFailedReads());
        assertEquals(0, result.steadyStaleReads());
    }

    @Test
    void aFleetListingMoreThanItsQuotaSettlesNearItWithNoFailedOrStaleRead() {
        // 30 instances, one listing each per 270 s: 0.111 a second against a quota of 0.05 (a bucket of 3, a minute's
        // worth): 222% of it with every round listing, as before. Each throttled listing halves that instance's
        // share of listing rounds and each answered one adds 1/32, so over the hour the fleet asks at most a quarter
        // more than the quota (and is answered no more than it); the rounds that do not list check their 2 secrets
        // by themselves, so no value goes stale.
        Scenario thirty = secrets(2, AMPLE.withList(new Quotas.Limit("ListSecrets", 0.05, 60)), Duration.ofHours(1));
        FleetResult result = new FleetSimulator(thirty.with(30, 2, 1, thirty.quotas())).run();
        assertThat(api(result, "ListSecrets").steadyShare()).isLessThan(1.25);
        assertThat(api(result, "DescribeSecret").steadyMean()).isBetween(30 / 270.0, 60 / 270.0);
        assertEquals(0, result.steadyFailedReads());
        assertEquals(0, result.steadyStaleReads());
    }

    @Test
    void onKeyVaultTheBatchedCheckIsOnePageOfGetSecretsAndOneGetSecretARound() {
        // 3 instances x 2 secrets, TTL 5 min: a round every 270 s is one Get Secrets page (25 secrets a page) and
        // one Get Secret (the secret asked by itself): 3 / 270 a second each, against 6 / 300 Get Secret before.
        Quotas listing = vault(1_000, 10).withList(new Quotas.Limit("Get Secrets", 1_000, 10));
        FleetResult result = new FleetSimulator(secrets(2, listing, Duration.ofHours(1))).run();
        assertThat(api(result, "Get Secrets").steadyMean()).isCloseTo(3 / 270.0, within(0.0006));
        assertThat(api(result, "Get Secret").steadyMean()).isCloseTo(3 / 270.0, within(0.0006));
        assertEquals(0, result.steadyStaleReads());
        assertEquals(0, result.steadyFailedReads());
        // 60 secrets are 3 pages a round.
        FleetResult sixty = new FleetSimulator(secrets(60, listing, Duration.ofHours(1))).run();
        assertThat(api(sixty, "Get Secrets").steadyMean()).isCloseTo(3 * 3 / 270.0, within(0.0017));
    }

    @Test
    void inSteadyStateEachSecretIsRefreshedOncePerTtlByVersionNowAndByValueBefore() {
        // 3 instances x 2 secrets, one refresh per 5 min TTL: 6 / 300 s = 0.02 calls a second, over 2 hours.
        FleetResult after = new FleetSimulator(small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofHours(2))).run();
        assertThat(api(after, "DescribeSecret").steadyMean()).isCloseTo(0.02, within(0.001));
        assertThat(api(after, "GetSecretValue").steadyMean()).isZero();

        FleetResult before = new FleetSimulator(small(Scenario.Policies.BEFORE, AMPLE, 1, Duration.ofHours(2))).run();
        assertThat(api(before, "GetSecretValue").steadyMean()).isCloseTo(0.02, within(0.001));
        assertThat(api(before, "DescribeSecret").steadyMean()).isZero();
    }

    @Test
    void withOneCallASecondEveryInstanceGetsThereAndNoSecondAnswersMoreThanTheQuota() {
        FleetSimulator simulator =
                new FleetSimulator(small(Scenario.Policies.AFTER, ONE_A_SECOND, 0, Duration.ofMinutes(1)));
        FleetResult result = simulator.run();
        assertEquals(3, result.ready());
        assertEquals(0, result.failedStartups());
        // At t=0 one batch (2 secrets) and one single read can be answered; the 3 remaining reads need tokens that
        // come back one a second per API, so the last instance cannot be ready before 1 s.
        assertThat(result.readySeconds()).isGreaterThanOrEqualTo(1.0).isLessThan(30);
        for (Api api : simulator.apis()) {
            assertThat(api.peakAnswered(0, 3600)).as(api.name).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aThousandInstancesRestartingAtOnceFailBeforeThePoliciesAndNotAfter() {
        FleetResult before = new FleetSimulator(Scenario.restart(1_000, Scenario.Policies.BEFORE)).run();
        FleetResult after = new FleetSimulator(Scenario.restart(1_000, Scenario.Policies.AFTER)).run();
        assertThat(before.failedStartups()).isPositive();
        assertEquals(0, after.failedStartups());
        assertEquals(1_000, after.ready());
        assertThat(after.ratioToLowerBound()).isLessThan(1.5);
        assertThat(after.readySeconds()).isLessThan(before.readySeconds());
    }

    @Test
    void aStoreDownAtStartFailsStartUpsClosedAndTheFleetComesUpAfterIt() {
        // Down for the first 30 s, a start-up timeout of 10 s without answer: each instance fails once its 10 s are up
        // (10 to 13 s, the SDK's retries included), Kubernetes starts it again 10 s later, and that start gets its
        // answers once the store is back at 30 s unless its own 10 s run out first (then once more, 20 s later).
        FleetResult result = new FleetSimulator(small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofMinutes(10))
                        .withOutage(Duration.ZERO, Duration.ofSeconds(30)))
                .run();
        assertEquals(3, result.ready());
        assertThat(result.failedStartups()).isBetween(3, 6);
        assertThat(result.readySeconds()).isGreaterThan(30).isLessThan(80);
        assertThat(result.outage()).as("not a steady-state outage").isEmpty();
    }

    @Test
    void aStoreDownInSteadyStateIsServedStaleWithNoFailedReadAndRecoversWithinAReadRoundAfter() {
        // TTL 5 min, reads every 60 s: values go past their TTL during a 5-minute outage from 10 min on and are
        // served stale (max-stale 1 h); the first read after the outage that may retry (backoff at most 30 s)
        // refreshes them.
        FleetResult result = new FleetSimulator(small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofMinutes(10))
                        .withOutage(Duration.ofMinutes(10), Duration.ofMinutes(5)))
                .run();
        assertEquals(0, result.failedStartups());
        FleetResult.OutageFigures outage = result.outage().orElseThrow();
        assertEquals(0, outage.failedReads());
        assertThat(outage.staleReads()).isPositive();
        assertThat(outage.recoverySeconds())
                .isLessThanOrEqualTo(60 + CachePolicy.DEFAULT.backoffMax().toSeconds());
        // 6 secrets, each tried at most once per read round (60 s) while stale: at most 6 x 5 calls in 300 s.
        FleetResult.ApiOutage describe = outage.apis().stream()
                .filter(a -> a.api().equals("DescribeSecret"))
                .findFirst()
                .orElseThrow();
        assertThat(describe.duringMean() * 300).isPositive().isLessThanOrEqualTo(6 * 6);
    }

    /** Key Vault's shape: no batch, Get Secret both reads and checks, Unwrap Key, an Entra ID token per start. */
    private static Quotas vault(double getSecretPerSecond, double windowSeconds) {
        return new Quotas(
                "azure",
                Optional.empty(),
                new Quotas.Limit("Get Secret", getSecretPerSecond, windowSeconds),
                Optional.empty(),
                new Quotas.Limit("Unwrap Key", 1_000, 10),
                Quotas.AZURE.token(),
                Quotas.AZURE.retries());
    }

    /** Secret Manager's shape: access reads, versions.get checks at {@code getPerMinute}, per-minute windows. */
    private static Quotas project(double getPerMinute) {
        return new Quotas(
                "gcp",
                Optional.empty(),
                new Quotas.Limit("versions.access", 1_000, 60),
                Optional.of(new Quotas.Limit("versions.get", getPerMinute / 60, 60)),
                Quotas.Limit.unknown("KMS decrypt"),
                Quotas.GCP.token(),
                Quotas.GCP.retries());
    }

    @Test
    void aKeyVaultBucketHoldsTenSecondsOfCalls() {
        // 4,000 per 10 s: 4,000 at once, then one every 2.5 ms.
        TokenBucket vault = new TokenBucket(400, 10);
        for (int i = 0; i < 4_000; i++) {
            assertTrue(vault.take(0));
        }
        assertFalse(vault.take(0));
        assertFalse(vault.take(SECOND / 1_000));
        assertTrue(vault.take(SECOND / 400));
        assertFalse(vault.take(SECOND / 400));
    }

    @Test
    void theLowerLimitOfKeyVaultAndSecretManagerCountsTheirLongerWindows() {
        // As for AWS, N x S over the rate; a quota counted over w seconds starts with w - 1 seconds more.
        // Key Vault: 500,000 Get Secret at 400 a second, less 9 s: 1,241 s. Secret Manager: 500,000 access at
        // 1,500 a second, less 59 s: 274.333 s.
        Scenario fleet = Scenario.restart(10_000, Scenario.Policies.AFTER);
        assertThat(FleetSimulator.lowerBound(fleet.withQuotas(Quotas.AZURE))).isCloseTo(1_241, within(0.001));
        assertThat(FleetSimulator.lowerBound(fleet.withQuotas(Quotas.GCP))).isCloseTo(274.333, within(0.001));
        // 10,000 Unwrap Key each over 400 a second (less 9 s) is slower than 10,000 secrets (16 s).
        Scenario keys = fleet.with(10_000, 1, 10, Quotas.AZURE);
        assertThat(FleetSimulator.lowerBound(keys)).isCloseTo(241, within(0.001));
    }

    @Test
    void threeInstancesOnAVaultOfFourCallsThenOneASecondGetThereWithoutFailing() {
        // 3 x 2 Get Secret, no batch; the vault holds 4 (a window of 4 s at 1 a second): 4 answered at once, the
        // 5th no earlier than 1 s, the 6th no earlier than 2 s. Each instance asks Entra ID once. Throttling is an
        // answer, so no start-up fails although throttled calls wait well past the first answers.
        FleetSimulator simulator = new FleetSimulator(
                small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofMinutes(10)).with(3, 2, 1, vault(1, 4)));
        FleetResult result = simulator.run();
        assertEquals(3, result.ready());
        assertEquals(0, result.failedStartups());
        assertThat(result.readySeconds()).isGreaterThanOrEqualTo(2.0).isLessThan(30);
        Api getSecret = simulator.api("Get Secret");
        assertThat(getSecret.answered(0)).isEqualTo(4);
        assertThat(getSecret.answered(1)).isLessThanOrEqualTo(1);
        assertThat(simulator.api("Entra ID token").calls(0, 3600)).isEqualTo(3);
        assertThat(simulator.api("Unwrap Key").calls(0, 3600)).isEqualTo(3);
        assertThat(simulator.apis())
                .extracting(api -> api.name)
                .containsExactly("Get Secret", "Unwrap Key", "Entra ID token");
    }

    @Test
    void onKeyVaultATtlRefreshIsOneGetSecretAsTheRotationCheckIs() {
        // 3 x 2, TTL 5 min: 6 / 300 s = 0.02 Get Secret a second; a vault of 1 a second is at 2% of it.
        FleetResult result = new FleetSimulator(small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofHours(2))
                        .with(3, 2, 1, vault(1, 10)))
                .run();
        assertThat(api(result, "Get Secret").steadyMean()).isCloseTo(0.02, within(0.001));
        assertThat(api(result, "Get Secret").steadyShare()).isCloseTo(0.02, within(0.001));
        assertEquals(0, result.steadyFailedReads());
    }

    @Test
    void onSecretManagerTtlRefreshesSpendTheReadQuotaUnlessTheCheckIsByAccess() {
        // 3 x 2, TTL 5 min: 0.02 calls a second. With rotation-check=metadata each refresh asks versions.get (the
        // read quota, here 6 a minute: 0.1 a second, so 20% of it) and reads no value; with rotation-check=access,
        // the default since issue 33, it is an access.
        FleetResult metadata = new FleetSimulator(small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofHours(2))
                        .with(3, 2, 1, project(6)))
                .run();
        assertThat(api(metadata, "versions.get").steadyMean()).isCloseTo(0.02, within(0.001));
        assertThat(api(metadata, "versions.get").steadyShare()).isCloseTo(0.2, within(0.01));
        assertThat(api(metadata, "versions.access").steadyMean()).isZero();

        Quotas byAccess = new Quotas(
                "gcp, rotation-check=access",
                Optional.empty(),
                project(6).single(),
                Optional.empty(),
                project(6).kms(),
                project(6).token(),
                project(6).retries());
        FleetResult access = new FleetSimulator(small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofHours(2))
                        .with(3, 2, 1, byAccess))
                .run();
        assertThat(api(access, "versions.access").steadyMean()).isCloseTo(0.02, within(0.001));
    }

    @Test
    void aReadQuotaBelowTheFleetsRefreshesServesValuesStaleAndNeverAnswersMoreThanItsWindowAllows() {
        // 3 x 2 need 6 versions.get per 5 min; a quota of 1 a minute (a bucket of 1) answers at most one call in
        // any minute after the first, so values go past their TTL and are served stale (max-stale 1 h), none
        // failing within the 10 minutes measured.
        FleetSimulator simulator = new FleetSimulator(
                small(Scenario.Policies.AFTER, AMPLE, 1, Duration.ofMinutes(10)).with(3, 2, 1, project(1)));
        FleetResult result = simulator.run();
        assertEquals(3, result.ready());
        assertThat(result.steadyStaleReads()).isPositive();
        assertEquals(0, result.steadyFailedReads());
        Api get = simulator.api("versions.get");
        for (int minute = 0; minute < 30; minute++) {
            long answered = 0;
            for (int s = minute * 60; s < minute * 60 + 60; s++) {
                answered += get.answered(s);
            }
            assertThat(answered).as("minute %d", minute).isLessThanOrEqualTo(2);
        }
    }
}
