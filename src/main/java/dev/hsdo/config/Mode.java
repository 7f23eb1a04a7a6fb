package dev.hsdo.config;

/** HAProxy proxy mode. */
public enum Mode {
    HTTP, TCP;

    /** The config keyword. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
