package io.mpsecrets.testkit.mock;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Calls per operation, counted as they arrive (before faults), resettable. */
public final class CallCounter {

    private final ConcurrentHashMap<String, LongAdder> calls = new ConcurrentHashMap<>();

    public void count(String operation) {
        calls.computeIfAbsent(operation, o -> new LongAdder()).increment();
    }

    public long calls(String operation) {
        LongAdder adder = calls.get(operation);
        return adder == null ? 0 : adder.sum();
    }

    public long total() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> all() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((op, n) -> out.put(op, n.sum()));
        return out;
    }

    public void reset() {
        calls.clear();
    }
}
