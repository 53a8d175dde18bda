package io.mpsecrets.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Collections;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The one {@link SSLContext} a material hands out, in front of a JDK context per generation. Each engine, socket and
 * accepted connection is made by the generation in service, so that a new connection cannot resume a session of an
 * earlier certificate: emptying a JDK context's session cache does not reach a TLS 1.3 ticket a client still holds
 * (the JDK server keeps no state for it, and resumes it with the old certificates), nor a session a handshake under
 * way caches after the cache was emptied. A new JDK context has new ticket keys and an empty cache. Socket factories
 * and server sockets obtained before a rotation ask for the generation in service at each connection; all
 * generations share the material's key and trust managers.
 */
final class RotatingSslContext extends SSLContext {

    private final Generations generations;

    private RotatingSslContext(Generations generations) {
        super(generations, generations.current.getProvider(), generations.current.getProtocol());
        this.generations = generations;
    }

    /** A context whose generations use {@code keyManager} and {@code trustManager}. */
    static RotatingSslContext of(KeyManager keyManager, TrustManager trustManager) {
        return new RotatingSslContext(new Generations(keyManager, trustManager));
    }

    /**
     * Starts a new generation for the connections to come, and ends the replaced one's sessions (for an engine made
     * before and handshaken after).
     */
    void rotate() {
        SSLContext replaced = generations.rotate();
        invalidate(replaced.getClientSessionContext());
        invalidate(replaced.getServerSessionContext());
    }

    private static void invalidate(SSLSessionContext sessions) {
        if (sessions == null) {
            return;
        }
        for (byte[] id : Collections.list(sessions.getIds())) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }

    /** The JDK context of each generation, the newest behind a volatile reference. */
    private static final class Generations extends SSLContextSpi {

        private final KeyManager[] keyManagers;
        private final TrustManager[] trustManagers;
        private volatile SSLContext current;

        Generations(KeyManager keyManager, TrustManager trustManager) {
            this.keyManagers = new KeyManager[] {keyManager};
            this.trustManagers = new TrustManager[] {trustManager};
            this.current = newGeneration(null);
        }

        synchronized SSLContext rotate() {
            SSLContext replaced = current;
            current = newGeneration(replaced);
            return replaced;
        }

        private SSLContext newGeneration(SSLContext previous) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers, trustManagers, null);
                if (previous != null) {
                    // what an application set on the session caches carries over
                    copy(previous.getClientSessionContext(), context.getClientSessionContext());
                    copy(previous.getServerSessionContext(), context.getServerSessionContext());
                }
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no TLS context", e);
            }
        }

        private static void copy(SSLSessionContext from, SSLSessionContext to) {
            if (from != null && to != null) {
                to.setSessionCacheSize(from.getSessionCacheSize());
                to.setSessionTimeout(from.getSessionTimeout());
            }
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("this context follows an mp-secrets TLS material: its managers are set");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new Sockets(this);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new ServerSockets(this);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return current.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return current.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return current.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return current.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return current.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return current.getSupportedSSLParameters();
        }
    }

    /** Client sockets, each made by the generation in service. */
    private static final class Sockets extends SSLSocketFactory {

        private final Generations generations;

        Sockets(Generations generations) {
            this.generations = generations;
        }

        private SSLSocketFactory now() {
            return generations.current.getSocketFactory();
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return now().getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return now().getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return now().createSocket();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return now().createSocket(s, host, port, autoClose);
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return now().createSocket(s, consumed, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return now().createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return now().createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return now().createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return now().createSocket(address, port, localAddress, localPort);
        }
    }

    /** Server sockets whose accepted connections are each made by the generation in service. */
    private static final class ServerSockets extends SSLServerSocketFactory {

        private final Generations generations;

        ServerSockets(Generations generations) {
            this.generations = generations;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return generations.current.getServerSocketFactory().getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return generations.current.getServerSocketFactory().getSupportedCipherSuites();
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new Listener(generations);
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return createServerSocket(port, 50, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return createServerSocket(port, backlog, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            Listener listener = new Listener(generations);
            try {
                listener.bind(new InetSocketAddress(address, port), backlog);
            } catch (IOException e) {
                listener.close();
                throw e;
            }
            return listener;
        }
    }

    /**
     * A server socket that accepts plain connections and lays TLS over each with the generation in service, so that a
     * listener opened before a rotation neither resumes a session nor accepts a TLS 1.3 ticket of an earlier
     * certificate (a JDK server socket keeps the context it was made by). Its settings apply to each connection.
     */
    private static final class Listener extends SSLServerSocket {

        private final Generations generations;
        /** Holds the settings made on this listener (never connected): each accepted connection takes them. */
        private final SSLSocket settings;

        Listener(Generations generations) throws IOException {
            this.generations = generations;
            this.settings = (SSLSocket) generations.current.getSocketFactory().createSocket();
            settings.setUseClientMode(false);
        }

        @Override
        public Socket accept() throws IOException {
            Socket plain = new Socket();
            implAccept(plain);
            try {
                SSLSocket tls =
                        (SSLSocket) generations.current.getSocketFactory().createSocket(plain, null, true);
                synchronized (settings) {
                    tls.setUseClientMode(settings.getUseClientMode());
                    tls.setSSLParameters(settings.getSSLParameters());
                    tls.setEnableSessionCreation(settings.getEnableSessionCreation());
                }
                return tls;
            } catch (IOException | RuntimeException e) {
                plain.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                settings.close();
            } finally {
                super.close();
            }
        }

        @Override
        public SSLParameters getSSLParameters() {
            synchronized (settings) {
                return settings.getSSLParameters();
            }
        }

        @Override
        public void setSSLParameters(SSLParameters parameters) {
            synchronized (settings) {
                settings.setSSLParameters(parameters);
            }
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return settings.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            settings.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return settings.getSupportedCipherSuites();
        }

        @Override
        public String[] getSupportedProtocols() {
            return settings.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return settings.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            settings.setEnabledProtocols(protocols);
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            settings.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return settings.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            settings.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return settings.getWantClientAuth();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            settings.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return settings.getUseClientMode();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            settings.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return settings.getEnableSessionCreation();
        }
    }
}
