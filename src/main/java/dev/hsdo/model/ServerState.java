package dev.hsdo.model;

/** The administrative state hsdo wants a server in; the words are those of {@code set server ... state}. */
public enum ServerState {
    /** Takes new traffic. */
    READY,
    /** Keeps its sessions and persistent clients, takes no new ones: a leaving server. */
    DRAIN,
    /** Takes nothing: the step before deletion. */
    MAINT;

    /** The Runtime API word for this state. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
