package io.mpsecrets.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.exception.ClosedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The close gate's epoch, which cached reads check around their lookup instead of entering: a lookup is served
 * only when no close began or ran meanwhile.
 */
class GateTest {

    private final Gate gate = new Gate();

    @Test
    void anEpochStaysUnchangedWhileNoCloseRuns() {
        long before = gate.epoch();
        gate.enter("db.password");
        gate.exit();
        assertThat(gate.unchanged(before)).isTrue();
    }

    @Test
    void aCloseThatCameAndWentChangesTheEpoch() {
        long before = gate.epoch();
        gate.closeWith(() -> {});
        assertThat(gate.unchanged(before)).isFalse();
        assertThat(gate.unchanged(gate.epoch())).isTrue();
    }

    @Test
    void anEpochTakenDuringACloseIsNeverUnchangedAndEnteringThenIsRefused() {
        AtomicLong during = new AtomicLong();
        AtomicBoolean refused = new AtomicBoolean();
        gate.closeWith(() -> {
            during.set(gate.epoch());
            refused.set(assertThrows(ClosedException.class, () -> gate.enter("db.password")) != null);
        });
        assertThat(gate.unchanged(during.get())).isFalse();
        assertThat(refused).isTrue();
    }
}
