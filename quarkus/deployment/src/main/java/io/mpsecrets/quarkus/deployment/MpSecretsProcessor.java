package io.mpsecrets.quarkus.deployment;

import io.mpsecrets.cdi.RotationScoped;
import io.mpsecrets.quarkus.runtime.ArcRotationContext;
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
import io.quarkus.deployment.builditem.FeatureBuildItem;
import org.jboss.jandex.DotName;

/**
 * The build steps: the feature's name, the bean that starts and stops the application's secrets, and
 * {@code @RotationScoped}.
 */
class MpSecretsProcessor {

    static final String FEATURE = "mpsecrets";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    AdditionalBeanBuildItem lifecycle() {
        return AdditionalBeanBuildItem.unremovableOf(MpSecretsLifecycle.class);
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
