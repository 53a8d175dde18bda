package io.mpsecrets.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.testkit.leak.LeakGuard;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a mask replaces: each served value in its common encodings, rotated-out values for the grace, nothing short. */
class SecretMaskTest {

    private static final String SECRET = "p@ss w/rd:\"" + LeakGuard.CANARY + "\\+";

    private static final Duration QUIET = Duration.ofSeconds(1);

    private final AtomicLong now = new AtomicLong();
    private final SecretMask mask = new SecretMask(6, Duration.ofSeconds(30), Duration.ZERO, now::get, Runnable::run);

    @BeforeEach
    void expectMarkers() {
        LeakGuard.expectMasked();
    }

    @AfterEach
    void close() {
        mask.close();
    }

    @Test
    void masksTheValueAsItIsUrlEncodedJsonEscapedAndInBase64AtEveryAlignment() {
        mask.served("db.password", SECRET);
        assertThat(mask.mask("password=" + SECRET + ";")).isEqualTo("password=***db.password***;");
        String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        assertThat(mask.mask("jdbc:x://h/db?password=" + form)).isEqualTo("jdbc:x://h/db?password=***db.password***");
        assertThat(mask.mask("q=" + form.replace("+", "%20"))).isEqualTo("q=***db.password***");
        assertThat(mask.mask("{\"password\":\"" + MaskPatterns.jsonEscaped(SECRET) + "\"}"))
                .isEqualTo("{\"password\":\"***db.password***\"}");
        for (String user : new String[] {"u:", "us:", "use:"}) {
            String basic = Base64.getEncoder().encodeToString((user + SECRET).getBytes(StandardCharsets.UTF_8));
            String masked = mask.mask("Authorization: Basic " + basic);
            assertThat(masked).contains("***db.password***");
            LeakGuard.check(masked, "a Basic header after " + user.length() + " bytes");
            String url = Base64.getUrlEncoder().encodeToString((user + SECRET).getBytes(StandardCharsets.UTF_8));
            LeakGuard.check(mask.mask(url), "URL-safe base64 after " + user.length() + " bytes");
        }
    }

    @Test
    void aValueShorterThanTheMinimumIsNotMasked() {
        mask.served("db.user", "admin");
        mask.served("db.password", "abcdef");
        assertThat(mask.mask("admin logged in with abcdef")).isEqualTo("admin logged in with ***db.password***");
    }

    @Test
    void aRotatedOutValueStaysMaskedForTheGraceThenIsDropped() {
        String before = "before-" + LeakGuard.CANARY;
        String after = "after-" + LeakGuard.CANARY;
        mask.served("db.password", before);
        mask.served("db.password", after);
        assertThat(mask.mask(before + " " + after)).isEqualTo("***db.password*** ***db.password***");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        mask.served("other.password", "another-value"); // any change rebuilds, dropping what expired
        assertThat(mask.mask("x" + before)).isEqualTo("x" + before);
        assertThat(mask.mask(after)).isEqualTo("***db.password***");
        assertThat(mask.values()).isEqualTo(2);
    }

    @Test
    void aValueLoggedRightAfterItWasServedIsMaskedEvenBeforeAnyRebuildRan() {
        SecretMask lazy = new SecretMask(6, Duration.ZERO, QUIET, now::get, task -> {});
        try {
            lazy.served("api.token", SECRET);
            assertThat(lazy.mask(SECRET)).isEqualTo("***api.token***");
        } finally {
            lazy.close();
        }
    }

    /**
     * Start-up serves thousands of values, each followed by an audit line: each line rebuilt a matcher over every
     * value served so far (quadratic; 10,000 file secrets took 1.5-2.5 s more to read). A line is now checked for the
     * values served since the last build, and only one that holds such a value rebuilds it at once.
     */
    @Test
    void linesLoggedWhileThousandsOfValuesAreServedDoNotEachRebuildTheMatcher() {
        SecretMask lazy = new SecretMask(6, Duration.ZERO, QUIET, now::get, task -> {});
        try {
            for (int i = 0; i < 3_000; i++) {
                String value = "value-" + i + "-" + LeakGuard.CANARY;
                lazy.served("secret." + i, value);
                assertThat(lazy.mask("event=fetched property=secret." + i + " outcome=ok"))
                        .isEqualTo("event=fetched property=secret." + i + " outcome=ok");
                if (i % 250 == 0) {
                    assertThat(lazy.mask("leaked " + value + "!")).isEqualTo("leaked ***secret." + i + "***!");
                }
            }
            assertThat(lazy.rebuilds())
                    .as("matcher builds for 3,000 values and lines")
                    .isLessThan(40);
            assertThat(lazy.mask("first value-0-" + LeakGuard.CANARY)).isEqualTo("first ***secret.0***");
        } finally {
            lazy.close();
        }
    }

    /**
     * A burst of values (a start-up) rebuilds the matcher only when lines need it; the first line once no value was
     * served for the quiet period rebuilds it once, so later lines take one pass.
     */
    @Test
    void aBurstOfValuesIsBuiltIntoTheMatcherByTheFirstLineAfterTheQuietPeriod() {
        SecretMask lazy = new SecretMask(6, Duration.ZERO, QUIET, now::get, task -> {});
        try {
            for (int i = 0; i < 20; i++) {
                lazy.served("secret." + i, "value-" + i + "-" + LeakGuard.CANARY);
                assertThat(lazy.mask("event=decrypted property=secret." + i)).endsWith("secret." + i);
                now.addAndGet(QUIET.toNanos() / 100);
            }
            int duringTheBurst = lazy.rebuilds();
            assertThat(duringTheBurst).as("builds while 20 values are served").isLessThanOrEqualTo(1);
            assertThat(lazy.mask("a line")).isEqualTo("a line");
            assertThat(lazy.rebuilds()).as("no build before the quiet period").isEqualTo(duringTheBurst);
            now.addAndGet(QUIET.toNanos());
            assertThat(lazy.mask("another line")).isEqualTo("another line");
            assertThat(lazy.rebuilds())
                    .as("one build by the first line after it")
                    .isEqualTo(duringTheBurst + 1);
            assertThat(lazy.mask("x value-7-" + LeakGuard.CANARY)).isEqualTo("x ***secret.7***");
            assertThat(lazy.rebuilds()).as("none after that").isEqualTo(duringTheBurst + 1);
        } finally {
            lazy.close();
        }
    }

    /**
     * A few dozen values never hand a rebuild to the rebuilder (a start-up would pay for a thread and a build per
     * value); thousands hand over one each time the waiting forms outgrow half the matcher, a logarithmic number.
     */
    @Test
    void onlyManyWaitingFormsHandARebuildToTheRebuilderAndThenOncePerDoubling() {
        AtomicInteger handedOver = new AtomicInteger();
        SecretMask handing = new SecretMask(6, Duration.ZERO, QUIET, now::get, task -> {
            handedOver.incrementAndGet();
            task.run();
        });
        try {
            for (int i = 0; i < 50; i++) {
                handing.served("secret." + i, "value-" + i + "-" + LeakGuard.CANARY);
            }
            assertThat(handedOver.get())
                    .as("rebuilds handed over for 50 values")
                    .isZero();
            for (int i = 50; i < 5_000; i++) {
                handing.served("secret." + i, "value-" + i + "-" + LeakGuard.CANARY);
            }
            assertThat(handedOver.get())
                    .as("rebuilds handed over for 5,000 values")
                    .isBetween(3, 12);
            assertThat(handing.mask("x value-4321-" + LeakGuard.CANARY)).isEqualTo("x ***secret.4321***");
        } finally {
            handing.close();
        }
    }

    /** A value served after another that it contains is masked whole, not around the older one's marker. */
    @Test
    void aNewValueContainingAnOlderOneIsMaskedWhole() {
        SecretMask lazy = new SecretMask(6, Duration.ZERO, QUIET, now::get, task -> {});
        try {
            String older = "inner-" + LeakGuard.CANARY;
            lazy.served("older", older);
            assertThat(lazy.mask(older)).isEqualTo("***older***");
            lazy.served("newer", "outer[" + older + "]outer");
            assertThat(lazy.mask("x outer[" + older + "]outer y")).isEqualTo("x ***newer*** y");
        } finally {
            lazy.close();
        }
    }

    @Test
    void closingForgetsEveryValueAndNamesNone() {
        mask.served("db.password", SECRET);
        assertThat(mask.toString()).isEqualTo("SecretMask[1 values]");
        mask.close();
        assertThat(mask.values()).isZero();
        assertThat(mask.mask("x")).isEqualTo("x");
    }

    @Test
    void aPropertyNameThatCouldForgeALogLineIsEscapedInItsMarker() {
        mask.served("db\npassword", SECRET);
        assertThat(mask.mask(SECRET)).doesNotContain("\n").startsWith("***db").endsWith("password***");
    }
}
