package io.mpsecrets.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager that follows a material's rotation: each handshake asks the generation in service (the JDK's own
 * key manager of that generation chooses the alias), and the key and chain are those of the generation the alias
 * names. New handshakes get the new certificate; connections already open keep the one they were made with.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {

    private final Snapshots snapshots;

    RotatingKeyManager(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    private X509ExtendedKeyManager current() {
        X509ExtendedKeyManager manager = snapshots.require().keyManager();
        if (manager == null) {
            throw new IllegalStateException("this TLS material has no key");
        }
        return manager;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return current().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return current().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return current().chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return alias == null
                ? null
                : snapshots
                        .byAlias(alias)
                        .map(s -> s.keyManager().getCertificateChain(alias))
                        .orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return alias == null
                ? null
                : snapshots
                        .byAlias(alias)
                        .map(s -> s.keyManager().getPrivateKey(alias))
                        .orElse(null);
    }

    @Override
    public String toString() {
        return "RotatingKeyManager["
                + snapshots.current().map(TlsSnapshot::toString).orElse("empty") + "]";
    }
}
