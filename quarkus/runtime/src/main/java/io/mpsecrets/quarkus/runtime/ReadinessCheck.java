package io.mpsecrets.quarkus.runtime;

import io.mpsecrets.health.SecretsReadinessCheck;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Readiness;

/** mp-secrets' readiness check as an ArC bean; registered only where quarkus-smallrye-health is present. */
@Readiness
@ApplicationScoped
public class ReadinessCheck extends SecretsReadinessCheck {}
