package io.mpsecrets.quarkus.deployment;

import io.mpsecrets.quarkus.runtime.MpSecretsLifecycle;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;

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
}
