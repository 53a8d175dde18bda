package io.mpsecrets.bench.startup;

import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a start-up's time goes once what any library that decrypts configuration must pay is paid: in a fresh JVM,
 * first the floor's shared work ({@link StartupFloorApp.Shared}: the JSON key file, SecureRandom, one AES-GCM round
 * trip, the first log line), then {@link StartupApp}'s config built, its first value read, and the other n-1. With
 * plain values and SmallRye alone, and with mp-secrets and {@code ENC} values, the difference of a stage is what
 * mp-secrets itself adds there; with {@code each}, the plain run also opens and logs each other value by hand as
 * {@link StartupFloorApp} does (what auditing every decryption costs any library). Prints one line,
 * {@code stages shared_ms=... build_ms=... first_ms=... rest_ms=...}; {@code StartupReport} runs it with
 * {@code -Dstages=true}.
 *
 * <pre>java -cp ... io.mpsecrets.bench.startup.StartupStages app.properties 50 keyring.json [each]</pre>
 */
public final class StartupStages {

    private StartupStages() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        long start = System.nanoTime();
        StartupFloorApp.Shared shared = StartupFloorApp.Shared.pay(Path.of(args[2]));
        long paid = System.nanoTime();
        SmallRyeConfig config = StartupApp.build(Path.of(args[0]));
        long built = System.nanoTime();
        StartupApp.read(config, 0, 1);
        long first = System.nanoTime();
        StartupApp.read(config, 1, n);
        if (args.length > 3 && args[3].equals("each")) {
            StartupFloorApp.openEachAndLog(n, shared.random(), shared.cipher(), shared.log());
        }
        long rest = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "stages shared_ms=%.1f build_ms=%.1f first_ms=%.1f rest_ms=%.1f%n",
                (paid - start) / 1e6,
                (built - paid) / 1e6,
                (first - built) / 1e6,
                (rest - first) / 1e6);
    }
}
