package io.mpsecrets.bench;

import io.mpsecrets.mask.SecretMask;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The log mask's cost on a record: the baseline formats a record as java.util.logging's default formatter does
 * ({@link #formatted}); {@link #maskedAndFormatted} passes it through the masking filter first, with 10, 100 or 1,000
 * secrets served. Target: at most 1.2x at 100 secrets. The record holds no secret, as almost every record does; a
 * record that holds one ({@link #maskedAndFormattedWithASecret}) is reported too.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MaskBenchmark {

    private static final String MESSAGE =
            "order {0} accepted for customer {1}: 3 items, shipping to warehouse eu-west-2, reserved in 12 ms";

    @Param({"10", "100", "1000"})
    public int secrets;

    private final SimpleFormatter formatter = new SimpleFormatter();
    private SecretMask mask;
    private Filter filter;
    private StreamHandler handler;
    private Logger logger;
    private String aSecret;

    @Setup
    public void setup() {
        // A handler in place before the mask starts, as a server's are: the mask puts its filter on it.
        logger = Logger.getLogger("org.example.orders.bench");
        handler = new StreamHandler(OutputStream.nullOutputStream(), formatter);
        logger.addHandler(handler);
        mask = new SecretMask(6, Duration.ofMinutes(5), Duration.ZERO, System::nanoTime, Runnable::run);
        Random random = new Random(42);
        for (int i = 0; i < secrets; i++) {
            aSecret = secret(random);
            mask.served("app.secret." + i, aSecret);
        }
        filter = handler.getFilter();
        LogRecord check = record("a " + aSecret);
        if (filter == null || !filter.isLoggable(check) || check.getMessage().contains(aSecret)) {
            throw new IllegalStateException("the mask is not installed on the handler");
        }
    }

    @TearDown
    public void tearDown() {
        mask.close();
        logger.removeHandler(handler);
    }

    private static String secret(Random random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder out = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static LogRecord record(String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName("org.example.orders.OrderService");
        record.setParameters(new Object[] {"A-2026-000417", "alice@example.com"});
        return record;
    }

    /** Baseline: a record formatted by java.util.logging's default formatter. */
    @Benchmark
    public String formatted() {
        return formatter.format(record(MESSAGE));
    }

    /** The same record masked first (it holds no secret). */
    @Benchmark
    public String maskedAndFormatted() {
        LogRecord record = record(MESSAGE);
        filter.isLoggable(record);
        return formatter.format(record);
    }

    /** The masking alone, without formatting: what the filter adds to a record, in absolute terms. */
    @Benchmark
    public LogRecord maskedOnly() {
        LogRecord record = record(MESSAGE);
        filter.isLoggable(record);
        return record;
    }

    /** The record alone: the baseline of {@link #maskedOnly}. */
    @Benchmark
    public LogRecord recordOnly() {
        return record(MESSAGE);
    }

    /** A record that holds one of the secrets. */
    @Benchmark
    public String maskedAndFormattedWithASecret() {
        LogRecord record = record(MESSAGE + " with " + aSecret);
        filter.isLoggable(record);
        return formatter.format(record);
    }
}
