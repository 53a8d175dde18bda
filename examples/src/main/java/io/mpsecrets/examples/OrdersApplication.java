package io.mpsecrets.examples;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * A small orders service that uses secrets without knowing mp-secrets: it signs API tokens with an HMAC key it
 * injects with {@code @ConfigProperty}, and reports on {@code /api/status} which secrets it has (names, keys,
 * stores, versions), never their values.
 */
@ApplicationPath("/api")
public class OrdersApplication extends Application {}
