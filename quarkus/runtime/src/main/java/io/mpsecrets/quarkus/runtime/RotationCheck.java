package io.mpsecrets.quarkus.runtime;

import io.mpsecrets.health.SecretsRotationCheck;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Readiness;

/** mp-secrets' rotation-age check as an ArC bean; registered only where quarkus-smallrye-health is present. */
@Readiness
@ApplicationScoped
public class RotationCheck extends SecretsRotationCheck {}
