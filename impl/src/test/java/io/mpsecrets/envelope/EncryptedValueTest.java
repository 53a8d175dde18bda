package io.mpsecrets.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EncryptedValueTest {

    private static final SecretRef REF = SecretRef.property("db.password");

    private static String enc(byte[] bytes) {
        return "ENC(" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + ")";
    }

    @Test
    void parsesWhatTheEncryptorWritesAndWritesItBackIdentically() {
        String text = Fixtures.encrypt(LocalKeyring.generate("dev"), Fixtures.SECRET, "db.password");
        EncryptedValue value = EncryptedValue.parse(text, REF);
        assertEquals(text, value.format());
        assertThat(value.keyId()).isEqualTo("local:dev-1");
        assertThat(value.bound()).isTrue();
        assertThat(value.plaintextLength()).isEqualTo(Fixtures.SECRET.getBytes(StandardCharsets.UTF_8).length);
        assertThat(value.toString()).contains("local:dev-1").doesNotContain(text.substring(4, 40));
    }

    @Test
    void layoutIsTheDocumentedOne() {
        String text = Fixtures.encrypt(LocalKeyring.generate("dev"), "x", null);
        byte[] bytes = Base64.getUrlDecoder().decode(text.substring(4, text.length() - 1));
        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertEquals(1, in.get(), "version");
        assertEquals(0, in.get(), "flags: unbound");
        byte[] keyId = new byte[in.getShort()];
        in.get(keyId);
        assertEquals("local:dev-1", new String(keyId, StandardCharsets.UTF_8));
        int wrapped = in.getShort();
        in.position(in.position() + wrapped);
        assertEquals(12 + 1 + 16, in.remaining(), "nonce, one byte of ciphertext, tag");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ENC()",
                "ENC(!!!!)",
                "ENC(AQ)",
                "ENC(AQE)",
                "ENC(AQEADGxvY2FsOnRlc3QtMgA9AV2TMz9iud92m==)",
                "ENC(AQEA AGxv)",
                "ENC(AgEADGxvY2FsOnRlc3QtMgA9AV2TMz9iud92myktk0dIPjEhMmYO3X4tuMDo50N2HFxnISPBzaHiPq1o)"
            })
    void rejectsMalformedValuesWithoutQuotingThem(String text) {
        MalformedValueException e = assertThrows(MalformedValueException.class, () -> EncryptedValue.parse(text, REF));
        assertEquals(FailureReason.MALFORMED, e.reason());
        assertThat(e.getMessage()).contains("property=db.password");
        if (text.length() > 10) {
            assertThat(e.getMessage()).doesNotContain(text.substring(4, 12));
        }
    }

    @Test
    void rejectsStructuralDamage() {
        byte[] good = Base64.getUrlDecoder()
                .decode(Fixtures.encrypt(LocalKeyring.generate("dev"), "x", "p").replaceAll("^ENC\\(|\\)$", ""));
        byte[] unknownFlags = good.clone();
        unknownFlags[1] = 4;
        assertThat(assertThrows(MalformedValueException.class, () -> EncryptedValue.parse(enc(unknownFlags), REF))
                        .detail())
                .contains("flags");
        byte[] emptyKeyId = good.clone();
        emptyKeyId[2] = 0;
        emptyKeyId[3] = 0;
        assertThrows(MalformedValueException.class, () -> EncryptedValue.parse(enc(emptyKeyId), REF));
        byte[] hugeKeyId = good.clone();
        hugeKeyId[2] = (byte) 0xff;
        assertThrows(MalformedValueException.class, () -> EncryptedValue.parse(enc(hugeKeyId), REF));
        byte[] notUtf8 = good.clone();
        notUtf8[4] = (byte) 0xc3;
        notUtf8[5] = (byte) 0x28;
        assertThat(assertThrows(MalformedValueException.class, () -> EncryptedValue.parse(enc(notUtf8), REF))
                        .detail())
                .contains("UTF-8");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 20);
        assertThrows(MalformedValueException.class, () -> EncryptedValue.parse(enc(truncated), REF));
    }

    @Test
    void onlyWholeEncValuesLookEncrypted() {
        assertThat(EncryptedValue.looksEncrypted("ENC(abc)")).isTrue();
        assertThat(EncryptedValue.looksEncrypted("ENC()")).isTrue();
        assertThat(EncryptedValue.looksEncrypted("enc(abc)")).isFalse();
        assertThat(EncryptedValue.looksEncrypted("x ENC(abc)")).isFalse();
        assertThat(EncryptedValue.looksEncrypted("ENC(abc")).isFalse();
        assertThat(EncryptedValue.looksEncrypted(null)).isFalse();
    }

    @Test
    void keyIdsFromUntrustedInputArePrintedSafely() {
        assertEquals("a?b", EncryptedValue.printableKeyId("a\nb"));
        assertThat(EncryptedValue.printableKeyId("k".repeat(500))).hasSize(203);
        LeakGuard.assertNoLeak(
                EncryptedValue.parse(Fixtures.encrypt(LocalKeyring.generate("dev"), Fixtures.SECRET, "p"), REF));
    }
}
