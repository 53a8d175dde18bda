package io.mpsecrets.bench.startup;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor under any library that decrypts configuration the way mp-secrets must: {@link StartupApp}'s plain
 * application, plus what no such library can skip, done once and by hand: read a JSON key file with JSON-P, draw a
 * nonce from {@link SecureRandom}, seal and open one value with JCA's AES-GCM, and write one log line through
 * {@code java.util.logging}'s console handler (the audit record). It keeps nothing and checks nothing else.
 *
 * <p>With {@code each}, it also does by hand what a library that decrypts and audits every value must do for each of
 * the others: open one AES-GCM value (sealed beforehand, bound to its property) and write one log line per value.
 *
 * <pre>java -cp ... io.mpsecrets.bench.startup.StartupFloorApp app.properties 50 keyring.json [each]</pre>
 */
public final class StartupFloorApp {

    private StartupFloorApp() {}

    public static void main(String[] args) throws Exception {
        StartupApp.main(new String[] {args[0], args[1]});
        Shared shared = Shared.pay(Path.of(args[2]));
        if (args.length > 3 && args[3].equals("each")) {
            openEachAndLog(Integer.parseInt(args[1]), shared.random(), shared.cipher(), shared.log());
        }
    }

    /** What the floor pays once, and what it leaves for the values that follow. */
    record Shared(SecureRandom random, Cipher cipher, Logger log) {

        /** Reads the JSON key file, draws from SecureRandom, seals and opens one value, writes one log line. */
        static Shared pay(Path keyring) throws Exception {
            JsonObject keyFile;
            try (InputStream in = Files.newInputStream(keyring);
                    JsonReader reader = Json.createReader(in)) {
                keyFile = reader.readObject();
            }
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            SecureRandom random = new SecureRandom();
            random.nextBytes(key);
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal("secret-value".getBytes(StandardCharsets.UTF_8));
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            if (cipher.doFinal(sealed).length != "secret-value".length() || keyFile.isEmpty()) {
                throw new IllegalStateException("the floor's own round trip failed");
            }
            Logger log = Logger.getLogger("io.mpsecrets.bench.floor");
            log.info("event=decrypted property=value.0 outcome=ok");
            return new Shared(random, cipher, log);
        }
    }

    /** Values 1 to n-1: sealed first (not what is timed), then each opened and logged as a library would. */
    static void openEachAndLog(int n, SecureRandom random, Cipher cipher, Logger log) throws Exception {
        byte[] key = new byte[32];
        random.nextBytes(key);
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        byte[][] nonces = new byte[n][12];
        byte[][] sealed = new byte[n][];
        for (int i = 1; i < n; i++) {
            random.nextBytes(nonces[i]);
            cipher.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonces[i]));
            cipher.updateAAD(("value." + i).getBytes(StandardCharsets.UTF_8));
            sealed[i] = cipher.doFinal(("secret-value-" + i + "-x9Lw2").getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 1; i < n; i++) {
            cipher.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, nonces[i]));
            cipher.updateAAD(("value." + i).getBytes(StandardCharsets.UTF_8));
            String value = new String(cipher.doFinal(sealed[i]), StandardCharsets.UTF_8);
            if (!value.startsWith("secret-value-" + i + "-")) {
                throw new IllegalStateException("the floor's value " + i + " did not open");
            }
            log.info("event=decrypted property=value." + i + " outcome=ok");
        }
    }
}
