package io.mpsecrets.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.testkit.leak.LeakGuard;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a mask replaces: each served value in its common encodings, rotated-out values for the grace, nothing short. */
class SecretMaskTest {

    private static final String SECRET = "p@ss w/rd:\"" + LeakGuard.CANARY + "\\+";

    private final AtomicLong now = new AtomicLong();
    private final SecretMask mask = new SecretMask(6, Duration.ofSeconds(30), now::get, Runnable::run);

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
        SecretMask lazy = new SecretMask(6, Duration.ZERO, now::get, task -> {});
        try {
            lazy.served("api.token", SECRET);
            assertThat(lazy.mask(SECRET)).isEqualTo("***api.token***");
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
