package io.mpsecrets.api;

/**
 * Which worker asked for a secret: the application, the module inside it and the thread. It travels with audit
 * events, and the application name is what the KMS sees as encryption context.
 *
 * @param application the application (worker) name, {@code mpsecrets.app} ({@code default} unless set)
 * @param module the module inside the application that asked (a web module's name, as the server knows it), or null
 *        while the server does not say
 * @param thread the name of the thread that asked, or that ran a background check
 */
public record WorkerContext(String application, String module, String thread) {

    /**
     * The context of the calling thread, whose name becomes {@link #thread()}.
     *
     * @param application the application (worker) name
     * @param module the module inside it, or null
     * @return the context
     */
    public static WorkerContext ofCurrentThread(String application, String module) {
        return new WorkerContext(application, module, Thread.currentThread().getName());
    }

    @Override
    public String toString() {
        return "app=" + application + (module == null ? "" : " module=" + module) + " thread=" + thread;
    }
}
