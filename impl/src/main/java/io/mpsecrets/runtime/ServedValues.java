package io.mpsecrets.runtime;

/** Told of each value a property gives the application (the log mask keeps them); never logs or keeps one itself. */
@FunctionalInterface
interface ServedValues {

    ServedValues NONE = (property, value) -> {};

    void served(String property, String value);
}
