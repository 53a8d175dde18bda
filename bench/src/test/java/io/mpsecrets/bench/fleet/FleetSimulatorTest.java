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
}
