package io.mpsecrets.tls;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.event.SecretExpiring;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.runtime.Auditor;
import io.mpsecrets.runtime.SecretReference;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One named TLS material ({@code mpsecrets.tls.<name>.*}): where its key, certificate chain and trust come from, the
 * generation in service, and the {@link SSLContext}, key manager and trust manager that always use that generation.
 * {@link #refresh()} reads the material again and, when it changed and passes {@link MaterialChecks}, swaps it in
 * atomically; a new material that fails keeps the one in service, is audited once and marks the material failed
 * until a good one comes. The first load throws instead, naming the material: no application starts without TLS.
 *
 * <p>Where the material comes from, for each of {@code key}, {@code certificate} and {@code trust}: the property's
 * value through the application's config, so a {@code ${store::id}} reference is served, cached, rotated and
 * audited as any other secret. A value that is PEM text is used as it is; one that names a readable file is that
 * file, read anew each time; any other is base64 (a PKCS#12 store kept in a text secret). Or {@code directory}: a
 * Kubernetes TLS secret mounted as files ({@code tls.key}, {@code tls.crt}, {@code ca.crt}), read consistently
 * across the kubelet's {@code ..data} swap.
 */
public final class TlsMaterial implements AutoCloseable {

    /** The prefix of every TLS setting. */
    public static final String PREFIX = "mpsecrets.tls.";

    /** The most one input (a key, a chain, a trust bundle, a PKCS#12 store) may hold. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(7);

    /** The material's state as health checks and metrics see it. */
    public record State(
            String name,
            long generation,
            Optional<BigInteger> serial,
            Optional<Instant> notAfter,
            Optional<String> failure,
            boolean expiring) {}

    private final String name;
    private final Settings settings;
    private final Auditor auditor;
    private final Clock clock;
    private final Snapshots snapshots = new Snapshots();
    private final RotatingKeyManager keyManager = new RotatingKeyManager(snapshots);
    private final RotatingTrustManager trustManager = new RotatingTrustManager(snapshots);
    private final RotatingSslContext context = RotatingSslContext.of(keyManager, trustManager);
    private final AtomicLong generations = new AtomicLong();
    private byte[] inServiceDigest = new byte[0];
    private byte[] failedDigest = new byte[0];
    private byte[] pendingDigest = new byte[0];
    private volatile String failure;
    private long expiringReported = -1;

    /** Reads a store's secret for a property through the runtime (cache, rotation, audit). */
    interface StoreReader {
        String read(String property, SecretReference reference);
    }

    private final StoreReader stores;

    TlsMaterial(
            String name, Function<String, Optional<String>> config, StoreReader stores, Auditor auditor, Clock clock) {
        this.name = name;
        this.stores = stores;
        this.settings = new Settings(config);
        this.auditor = auditor;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /**
     * The TLS context of this material: its key manager and trust manager follow every rotation, and connections
     * made after a rotation handshake anew (none resumes a session of an earlier certificate).
     */
    public SSLContext sslContext() {
        return context;
    }

    /** The key manager that always hands out the generation in service (new handshakes get a new certificate). */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /** The trust manager of the generation in service. */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** The leaf certificate in service, if this material has a key. */
    public Optional<X509Certificate> certificate() {
        return snapshots.current().flatMap(TlsSnapshot::leaf);
    }

    /** The state in service: generation, serial, not-after, the last refusal while it stays. */
    public State state() {
        Optional<TlsSnapshot> current = snapshots.current();
        Optional<Instant> notAfter = current.flatMap(TlsSnapshot::notAfter);
        return new State(
                name,
                current.map(TlsSnapshot::generation).orElse(0L),
                current.flatMap(TlsSnapshot::serial),
                notAfter,
                Optional.ofNullable(failure),
                notAfter.map(end -> clock.instant().plus(warning(current.get())).isAfter(end))
                        .orElse(false));
    }

    /** The property that names this material in events and errors. */
    String property() {
        return PREFIX + name;
    }

    /** How often the material is read again ({@code refresh}, default one minute). */
    Duration refreshInterval() {
        return settings.duration(PREFIX + name + ".refresh", Duration.ofMinutes(1));
    }

    /**
     * Reads the material and swaps it in when it changed and passes the checks.
     *
     * @return whether a new generation was swapped in
     * @throws SecretException only while no generation is in service (the first load): the material cannot be used,
     *         named in the message
     */
    public synchronized boolean refresh() {
        Optional<TlsSnapshot> previous = snapshots.current();
        Inputs inputs;
        try {
            inputs = read();
        } catch (SecretException e) {
            return refused(previous, null, e);
        } catch (RuntimeException e) {
            return refused(previous, null, invalid(e.getMessage()));
        }
        try {
            if (previous.isPresent() && MessageDigest.isEqual(inputs.digest(), inServiceDigest)) {
                failure = null;
                checkExpiry();
                return false;
            }
            if (previous.isPresent() && MessageDigest.isEqual(inputs.digest(), failedDigest)) {
                return false; // the same refused material: audited once already
            }
            TlsSnapshot next;
            try {
                next = parse(inputs, generations.get() + 1);
            } catch (RuntimeException e) {
                if (previous.isPresent() && !MessageDigest.isEqual(inputs.digest(), pendingDigest)) {
                    // Refused the first time it is seen: a key and a certificate written one after the other are
                    // read at once only by chance, and the next read pairs them. The same inputs refused twice are a
                    // bad material: audited, the material marked failed.
                    pendingDigest = inputs.digest();
                    return false;
                }
                return refused(previous, inputs.digest(), invalid(e.getMessage()));
            }
            generations.incrementAndGet();
            snapshots.swap(next);
            inServiceDigest = inputs.digest();
            failedDigest = new byte[0];
            pendingDigest = new byte[0];
            failure = null;
            if (previous.isPresent()) {
                // A resumed session would keep the old certificates on a new connection: new connections are made by
                // a new generation.
                context.rotate();
            }
            if (auditor != null && previous.isPresent()) {
                auditor.emit(new SecretRotated(
                        clock.instant(), ref(next.version()), previous.get().version(), auditor.workerContext()));
            }
            checkExpiry();
            return true;
        } finally {
            inputs.zero();
        }
    }

    /** Stops serving: later handshakes fail. */
    @Override
    public synchronized void close() {
        snapshots.clear();
    }

    private boolean refused(Optional<TlsSnapshot> previous, byte[] digest, SecretException e) {
        SecretException named = e.ref().property() == null ? e.withRef(ref(null)) : e;
        if (previous.isEmpty()) {
            throw named;
        }
        failure = named.reason() + ": " + named.detail();
        if (digest != null) {
            failedDigest = digest;
        }
        boolean readFromStore =
                e.ref().property() != null && !e.ref().property().equals(property());
        if (auditor != null && !readFromStore) { // a store's failure was audited by the store's read already
            auditor.failed(named, true);
        }
        return false;
    }

    private InvalidSecretValueException invalid(String detail) {
        return new InvalidSecretValueException(
                ref(null), "TLS material " + name + " cannot be used: " + (detail == null ? "unreadable" : detail));
    }

    private SecretRef ref(String version) {
        return new SecretRef(property(), "tls", name, null, version);
    }

    private Duration warning(TlsSnapshot snapshot) {
        Duration configured =
                settings.duration(PREFIX + name + ".expiry-warning").orElse(null);
        if (configured != null) {
            return configured;
        }
        // Short-lived certificates (Vault PKI's hours) would always be "expiring" at seven days: a third of the
        // lifetime then, the part after which a re-issue is already late.
        return snapshot.leaf()
                .map(c -> Duration.between(
                                c.getNotBefore().toInstant(), c.getNotAfter().toInstant())
                        .dividedBy(3))
                .filter(third -> third.compareTo(DEFAULT_EXPIRY_WARNING) < 0)
                .orElse(DEFAULT_EXPIRY_WARNING);
    }

    private void checkExpiry() {
        Optional<TlsSnapshot> current = snapshots.current();
        if (current.isEmpty() || current.get().leaf().isEmpty() || auditor == null) {
            return;
        }
        TlsSnapshot snapshot = current.get();
        X509Certificate leaf = snapshot.leaf().get();
        Instant now = clock.instant();
        if (expiringReported != snapshot.generation()
                && now.plus(warning(snapshot)).isAfter(leaf.getNotAfter().toInstant())) {
            expiringReported = snapshot.generation();
            auditor.emit(new SecretExpiring(
                    now,
                    ref(snapshot.version()),
                    leaf.getNotBefore().toInstant(),
                    leaf.getNotAfter().toInstant(),
                    "tls",
                    auditor.workerContext()));
        }
    }

    private TlsSnapshot parse(Inputs inputs, long generation) {
        List<X509Certificate> certificates = inputs.certificate() == null
                ? null
                : KeyMaterialReader.certificates(inputs.certificate(), inputs.password());
        KeyMaterialReader.KeyAndChain keyAndChain = null;
        if (inputs.key() != null) {
            keyAndChain = KeyMaterialReader.key(
                    inputs.key(), inputs.password(), certificates == null ? null : certificates.get(0));
        }
        List<X509Certificate> chain =
                certificates != null ? certificates : keyAndChain == null ? List.of() : keyAndChain.chain();
        List<X509Certificate> trust =
                inputs.trust() == null ? List.of() : KeyMaterialReader.certificates(inputs.trust(), inputs.password());
        if (keyAndChain == null && trust.isEmpty()) {
            throw new IllegalArgumentException("neither a key nor trust is configured");
        }
        MaterialChecks.check(keyAndChain == null ? null : keyAndChain.key(), chain, trust, clock.instant());
        return TlsSnapshot.of(name, generation, keyAndChain == null ? null : keyAndChain.key(), chain, trust);
    }

    /** The raw inputs of one read; {@link #zero()} wipes them. */
    private record Inputs(byte[] key, byte[] certificate, byte[] trust, char[] password, byte[] digest) {
        void zero() {
            for (byte[] bytes : new byte[][] {key, certificate, trust}) {
                if (bytes != null) {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private Inputs read() {
        String prefix = PREFIX + name + ".";
        char[] password = settings.string(prefix + "key-password")
                .map(String::toCharArray)
                .orElse(null);
        Optional<Path> directory = settings.path(prefix + "directory");
        Optional<String> vaultPki = settings.string(prefix + "vault-pki");
        byte[][] parts;
        if (vaultPki.isPresent()) {
            parts = readIssued(prefix, vaultPki.get());
        } else if (directory.isPresent()) {
            parts = readDirectory(directory.get());
        } else {
            parts = new byte[][] {input(prefix + "key"), input(prefix + "certificate"), input(prefix + "trust")};
        }
        if (parts[0] == null && parts[2] == null) {
            throw new IllegalArgumentException(
                    "no " + prefix + "key, " + prefix + "trust or " + prefix + "directory is set");
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part == null ? new byte[] {0} : part);
                digest.update((byte) 1);
            }
            if (password != null) {
                digest.update(new String(password).getBytes(StandardCharsets.UTF_8));
            }
            return new Inputs(parts[0], parts[1], parts[2], password, digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Kubernetes TLS secret as the kubelet mounts it: {@code tls.key}, {@code tls.crt} and optionally
     * {@code ca.crt} are links through {@code ..data}, which the kubelet points at a new directory in one rename. The
     * files are read while {@code ..data} stays the same, so a key and a certificate of two versions are never
     * paired (read again, at most three times, when it moved meanwhile).
     */
    private static byte[][] readDirectory(Path directory) {
        Path data = directory.resolve("..data");
        for (int attempt = 0; ; attempt++) {
            Optional<Path> before = link(data);
            byte[] key = file(directory.resolve("tls.key"));
            byte[] certificate = file(directory.resolve("tls.crt"));
            Path ca = directory.resolve("ca.crt");
            byte[] trust = Files.exists(ca) ? file(ca) : null;
            if (link(data).equals(before) || attempt == 2) {
                return new byte[][] {key, certificate, trust};
            }
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * A certificate issued by Vault's PKI engine: the Vault store's {@code <mount>/issue/<role>} with the request's
     * parameters, read through the runtime as any store secret (the store re-issues it at two thirds of its lifetime
     * and reports the change; the rotation then reaches this material). The key, the certificate with its issuing CA,
     * and as trust the {@code trust} setting or else the CA chain Vault gave.
     */
    private byte[][] readIssued(String prefix, String issuePath) {
        String commonName = settings.required(prefix + "common-name", "Vault's PKI engine issues for a common name");
        StringBuilder path = new StringBuilder(issuePath.strip());
        path.append(";common_name=").append(encode(commonName));
        List<String> altNames = settings.list(prefix + "alt-names");
        if (!altNames.isEmpty()) {
            path.append(";alt_names=").append(encode(String.join(",", altNames)));
        }
        List<String> ips = settings.list(prefix + "ip-sans");
        if (!ips.isEmpty()) {
            path.append(";ip_sans=").append(encode(String.join(",", ips)));
        }
        settings.string(prefix + "ttl").ifPresent(ttl -> path.append(";ttl=").append(encode(ttl)));
        String store = settings.string(prefix + "store").orElse("vault");
        SecretReference reference = new SecretReference(store, new SecretId(path.toString(), null, null, null));
        String json = stores.read(prefix + "vault-pki", reference);
        if (json.length() > MAX_BYTES) {
            throw new IllegalArgumentException("the issued certificate is larger than " + MAX_BYTES + " bytes");
        }
        JsonObject data;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            data = reader.readObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the issued certificate is not the JSON Vault's PKI engine answers");
        }
        String key = text(data, "private_key");
        String certificate = text(data, "certificate");
        String issuing = data.get("issuing_ca") instanceof JsonString s ? s.getString() : "";
        StringBuilder chain = new StringBuilder();
        if (data.get("ca_chain") instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString s) {
                    chain.append(s.getString().strip()).append('\n');
                }
            }
        }
        byte[] trust = input(prefix + "trust");
        if (trust == null) {
            String anchors = chain.length() > 0 ? chain.toString() : issuing;
            trust = anchors.isBlank() ? null : anchors.getBytes(StandardCharsets.US_ASCII);
        }
        return new byte[][] {
            key.getBytes(StandardCharsets.US_ASCII),
            (certificate.strip() + "\n" + issuing).getBytes(StandardCharsets.US_ASCII),
            trust
        };
    }

    private static String text(JsonObject data, String field) {
        if (!(data.get(field) instanceof JsonString s)) {
            throw new IllegalArgumentException("the issued certificate has no " + field);
        }
        return s.getString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Optional<Path> link(Path data) {
        try {
            return Files.isSymbolicLink(data) ? Optional.of(Files.readSymbolicLink(data)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One input by its property: PEM text as it is, a file path read now, or base64 (a PKCS#12 store as text). */
    private byte[] input(String property) {
        Optional<String> value = settings.string(property);
        if (value.isEmpty()) {
            return null;
        }
        String text = value.get().strip();
        if (text.startsWith("-----BEGIN ") || text.contains("\n-----BEGIN ")) {
            if (text.length() > MAX_BYTES) {
                throw new IllegalArgumentException(property + " holds more than " + MAX_BYTES + " bytes");
            }
            return text.getBytes(StandardCharsets.US_ASCII);
        }
        if (text.length() < 4096 && !text.contains("\n")) {
            try {
                Path path = Path.of(text);
                if (Files.isRegularFile(path)) {
                    return file(path);
                }
            } catch (java.nio.file.InvalidPathException e) {
                // not a path: base64
            }
        }
        try {
            byte[] decoded = Base64.getMimeDecoder().decode(text);
            if (decoded.length < 64) {
                throw new IllegalArgumentException(
                        property + " is neither PEM, a readable file, nor a base64 PKCS#12 store");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    property + " is neither PEM, a readable file, nor a base64 PKCS#12 store");
        }
    }

    private static byte[] file(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return BoundedReads.readAll(in, MAX_BYTES, "the TLS material's size limit");
        } catch (BoundedReads.TooLarge e) {
            throw new IllegalArgumentException(path.getFileName() + " is larger than " + MAX_BYTES + " bytes");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    path.getFileName() + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + name + ", "
                + snapshots.current().map(TlsSnapshot::version).orElse("not loaded") + "]";
    }
}
