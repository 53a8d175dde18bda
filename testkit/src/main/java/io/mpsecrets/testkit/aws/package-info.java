/**
 * What the mock AWS services share: AWS JSON 1.1 on the wire ({@link AwsJsonService}, {@link AwsJson},
 * {@link AwsError}), and the named credential profiles by whose access key ids the mocks know their callers
 * ({@link TestProfiles}).
 *
 * <p>API: {@link TestProfiles}, and what every mock AWS service inherits from {@link AwsJsonService} for a test to use,
 * {@code faults()}, {@code counter()} and {@code calls(String)}, for applications' tests (docs/testing.md); they keep
 * the API promise of docs/architecture.md ("What is API"); what the mocks answer follows the real services and may grow
 * in any release (more operations, errors closer to the real ones).
 *
 * <p>Everything else here is how the mocks speak AWS JSON. Internal: not API; may change in any release.
 */
package io.mpsecrets.testkit.aws;
