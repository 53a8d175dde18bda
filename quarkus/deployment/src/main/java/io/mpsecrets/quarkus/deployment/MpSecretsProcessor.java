package io.mpsecrets.quarkus.deployment;

import io.mpsecrets.quarkus.runtime.MpSecretsLifecycle;
import io.mpsecrets.quarkus.runtime.ReadinessCheck;
import io.mpsecrets.quarkus.runtime.RotationCheck;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import org.jboss.jandex.DotName;

/** The build steps: the feature's name, and the bean that starts and stops the application's secrets. */
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
