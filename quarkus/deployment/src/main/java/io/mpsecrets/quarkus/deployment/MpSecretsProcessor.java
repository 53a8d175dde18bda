package io.mpsecrets.quarkus.deployment;

import io.mpsecrets.cdi.RotationScoped;
import io.mpsecrets.config.FixedAtBuild;
import io.mpsecrets.quarkus.runtime.ArcRotationContext;
import io.mpsecrets.quarkus.runtime.FixedAtBuildConfigBuilder;
import io.mpsecrets.quarkus.runtime.MpSecretsCredentialsProvider;
import io.mpsecrets.quarkus.runtime.MpSecretsLifecycle;
import io.mpsecrets.quarkus.runtime.ReadinessCheck;
import io.mpsecrets.quarkus.runtime.RotationCheck;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.ContextRegistrationPhaseBuildItem;
import io.quarkus.arc.deployment.CustomScopeBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.ConfigurationBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.GeneratedResourceBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigBuilderBuildItem;
import io.quarkus.deployment.builditem.StaticInitConfigBuilderBuildItem;
import io.quarkus.deployment.configuration.BuildTimeConfigurationReader;
import io.smallrye.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.jandex.DotName;

/**
 * The build steps: the feature's name, the refusal of secrets on properties fixed at build time, the bean that starts
 * and stops the application's secrets, and {@code @RotationScoped}.
 */
class MpSecretsProcessor {

    static final String FEATURE = "mpsecrets";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /**
     * Properties the build fixes cannot be secrets: the build records them as written (ciphertext, reference), and
     * at run time Quarkus prints a value set later next to the recorded one. A secret there fails the build, naming
     * the properties; the names of the build-and-run-time-fixed ones go to the running application, which refuses
     * to decrypt or fetch a secret set on one at run time ({@link FixedAtBuildConfigBuilder}).
     */
    @BuildStep
    void fixedAtBuild(
            ConfigurationBuildItem configuration,
            BuildProducer<GeneratedResourceBuildItem> resources,
            BuildProducer<RunTimeConfigBuilderBuildItem> runTimeBuilders,
            BuildProducer<StaticInitConfigBuilderBuildItem> staticInitBuilders) {
        BuildTimeConfigurationReader.ReadResult read = configuration.getReadResult();
        Set<String> secrets = new TreeSet<>();
        for (Map<String, ConfigValue> values :
                List.of(read.getAllBuildTimeValues(), read.getBuildTimeRunTimeValues())) {
            values.forEach((name, value) -> {
                if (value != null
                        && (FixedAtBuild.isSecret(value.getRawValue()) || FixedAtBuild.isSecret(value.getValue()))) {
                    secrets.add(name);
                }
            });
        }
        RuntimeException refusal = FixedAtBuild.refusal(secrets);
        if (refusal != null) {
            throw refusal;
        }
        String names =
                String.join("\n", new TreeSet<>(read.getBuildTimeRunTimeValues().keySet()));
        resources.produce(new GeneratedResourceBuildItem(
                FixedAtBuildConfigBuilder.RESOURCE, names.getBytes(StandardCharsets.UTF_8)));
        runTimeBuilders.produce(new RunTimeConfigBuilderBuildItem(FixedAtBuildConfigBuilder.class));
        staticInitBuilders.produce(new StaticInitConfigBuilderBuildItem(FixedAtBuildConfigBuilder.class));
    }

    @BuildStep
    AdditionalBeanBuildItem lifecycle() {
        return AdditionalBeanBuildItem.unremovableOf(MpSecretsLifecycle.class);
    }

    /**
     * The credentials provider named {@code mpsecrets}, which Agroal and other extensions look up by name, so kept
     * though nothing injects it.
     */
    @BuildStep
    AdditionalBeanBuildItem credentialsProvider() {
        return AdditionalBeanBuildItem.unremovableOf(MpSecretsCredentialsProvider.class);
    }

    /** {@code @RotationScoped}: a normal scope whose context is mp-secrets' own, wrapped for ArC. */
    @BuildStep
    ContextRegistrationPhaseBuildItem.ContextConfiguratorBuildItem rotationScope(
            ContextRegistrationPhaseBuildItem phase) {
        return new ContextRegistrationPhaseBuildItem.ContextConfiguratorBuildItem(
                phase.getContext().configure(RotationScoped.class).normal().contextClass(ArcRotationContext.class));
    }

    /** Makes {@code @RotationScoped} a bean-defining annotation, so that such classes are found without beans.xml. */
    @BuildStep
    CustomScopeBuildItem rotationScoped() {
        return new CustomScopeBuildItem(RotationScoped.class);
    }

    /** Keeps quarkus-opentelemetry's {@code OpenTelemetry} bean, which mp-secrets looks up by name for its metrics. */
    @BuildStep
    UnremovableBeanBuildItem telemetry() {
        return UnremovableBeanBuildItem.beanTypes(DotName.createSimple("io.opentelemetry.api.OpenTelemetry"));
    }

    /** The readiness checks, where the application has SmallRye Health. */
    @BuildStep
    void health(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            beans.produce(AdditionalBeanBuildItem.builder()
                    .addBeanClasses(ReadinessCheck.class, RotationCheck.class)
                    .setUnremovable()
                    .build());
        }
    }
}
