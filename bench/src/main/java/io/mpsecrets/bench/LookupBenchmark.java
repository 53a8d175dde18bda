package io.mpsecrets.bench;

import io.smallrye.config.SmallRyeConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Config lookups: the baseline is a plain SmallRye lookup without mp-secrets ({@link #plainLookup}); target:
 * a cached ENC value ({@link #cachedEncLookup}) no dearer than it (at most 1.0x).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LookupBenchmark {

    private SmallRyeConfig plain;
    private SmallRyeConfig withMpSecrets;
    private SmallRyeConfig withoutPlaintextCache;
    private SmallRyeConfig everyAccess;

    @Setup
    public void setup() {
        BenchFixture fixture = new BenchFixture();
        plain = fixture.plainConfig();
        withMpSecrets = fixture.mpSecretsConfig(true);
        withoutPlaintextCache = fixture.mpSecretsConfig(false);
        BenchFixture.auditToNowhere();
        everyAccess = fixture.mpSecretsConfig(true, true);
        if (!BenchFixture.PLAINTEXT.equals(withMpSecrets.getValue("db.password", String.class))
                || !BenchFixture.PLAINTEXT.equals(withoutPlaintextCache.getValue("db.password", String.class))) {
            throw new IllegalStateException("the benchmark configs do not decrypt");
        }
    }

    /** Baseline: SmallRye Config alone, a plain value. */
    @Benchmark
    public String plainLookup() {
        return plain.getValue("plain.value", String.class);
    }

    /** A plain value with mp-secrets installed: the cost of the interceptors on values that are not ENC. */
    @Benchmark
    public String plainLookupWithMpSecrets() {
        return withMpSecrets.getValue("plain.value", String.class);
    }

    /** An ENC value already decrypted: the plaintext cache. */
    @Benchmark
    public String cachedEncLookup() {
        return withMpSecrets.getValue("db.password", String.class);
    }

    /** A cached ENC value with mpsecrets.audit.every-access=true: each read is an audit event and a log record. */
    @Benchmark
    public String cachedEncLookupEveryAccess() {
        return everyAccess.getValue("db.password", String.class);
    }

    /** An ENC value with the plaintext cache off: every lookup decrypts (data key cached). */
    @Benchmark
    public String uncachedEncLookup() {
        return withoutPlaintextCache.getValue("db.password", String.class);
    }
}
