package io.mpsecrets.api;

/**
 * Which worker asked for a secret: the application, the module inside it and the thread. It travels with audit
 * events, and the application name is what the KMS sees as encryption context.
 */
public record WorkerContext(String application, String module, String thread) {

    public static WorkerContext ofCurrentThread(String application, String module) {
        return new WorkerContext(application, module, Thread.currentThread().getName());
    }

    @Override
    public String toString() {
        return "app=" + application + (module == null ? "" : " module=" + module) + " thread=" + thread;
    }
}
