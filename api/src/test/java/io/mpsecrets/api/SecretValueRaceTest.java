package io.mpsecrets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Defect 12, at the value: a copy taken while another thread destroys the value was partly zeroed. A reader gets the
 * whole value or an {@link IllegalStateException}, never NUL bytes.
 */
class SecretValueRaceTest {

    @Test
    void aCopyRacingADestroyIsWholeOrRefused() throws Exception {
        byte[] content = new byte[256 * 1024];
        Arrays.fill(content, (byte) 'k');
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < 200; round++) {
            SecretValue value = SecretValue.of(content, "v1", null);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Thread reader = new Thread(() -> {
                    try {
                        go.await();
                        for (int read = 0; read < 20; read++) {
                            byte[] copy = value.bytes();
                            if (!Arrays.equals(copy, content)) {
                                problems.add("a partly zeroed copy");
                            }
                        }
                    } catch (IllegalStateException destroyed) {
                        // refused: fine
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                reader.start();
                readers.add(reader);
            }
            go.countDown();
            value.destroy();
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertEquals(List.of(), List.copyOf(problems));
    }
}
