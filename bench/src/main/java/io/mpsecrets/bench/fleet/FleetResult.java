package io.mpsecrets.bench.fleet;

import java.util.List;
import java.util.Optional;

/**
 * What a simulated fleet did.
 *
 * @param readySeconds from the first start until every instance had all its secrets and data keys
 * @param lowerBoundSeconds the quota-bound lower limit: the reads over the APIs that can serve them together (batch
 *     and single reads for secrets; {@code Decrypt} for data keys), the slowest of the two
 * @param failedStartups start-ups that failed (each failed instance starts again after Kubernetes' crash-loop back-off)
 * @param slowestSeconds the longest time one instance took from its first start until it was ready
 * @param apis per API, the restart and steady-state figures
 * @param outage what a store outage in steady state did, when the scenario has one after every instance was ready
 * @param steadyFailedReads reads in the steady-state window the application saw fail (no value, not even a stale
 *     one), for the whole fleet (scaled up from the sampled instances)
 * @param steadyStaleReads reads in the steady-state window served a value past its TTL, for the whole fleet
 * @param rotationSeenSeconds when the run measured a rotation: the longest time from it until a sampled instance's
 *     cache held the new version; NaN when not measured, or when some sampled instance never saw it
 */
record FleetResult(
        Scenario scenario,
        double readySeconds,
        double lowerBoundSeconds,
        int failedStartups,
        int ready,
        double slowestSeconds,
        List<ApiFigures> apis,
        long events,
        double wallSeconds,
        Optional<OutageFigures> outage,
        long steadyFailedReads,
        long steadyStaleReads,
        double rotationSeenSeconds) {

    /**
     * For the whole fleet (scaled up from the sampled instances, as steady state is).
     *
     * @param failedReads reads the application saw fail: no value, not even a stale one
     * @param staleReads reads served a value past its TTL because the store could not be asked or did not answer
     * @param recoverySeconds from the end of the outage until the last stale read
     * @param apis per API: calls per second during the outage, and the most in one second of the minute after it
     */
    record OutageFigures(long failedReads, long staleReads, double recoverySeconds, List<ApiOutage> apis) {}

    record ApiOutage(String api, double quota, double duringMean, double peakAfter) {}

    /**
     * @param peak most calls (answered and throttled) in one second of the restart
     * @param restartMean calls per second over the restart
     * @param throttled calls throttled during the restart
     * @param steadyMean calls per second in steady state, for the whole fleet
     */
    record ApiFigures(String api, double quota, long peak, double restartMean, long throttled, double steadyMean) {
        double steadyShare() {
            return steadyMean / quota;
        }
    }

    double ratioToLowerBound() {
        return readySeconds / lowerBoundSeconds;
    }
}
