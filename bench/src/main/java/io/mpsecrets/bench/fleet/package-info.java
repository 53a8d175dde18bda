/**
 * The fleet simulator (docs/scale.md): many application instances starting and reading their secrets from simulated AWS
 * services that enforce the published quotas, on a virtual clock, each running mp-secrets' own start-up, cache and
 * rotation code; {@link FleetMain} prints the tables and writes the charts.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.bench.fleet;
