package dev.hsdo.config;

import java.util.Locale;

/** Which servers of the plan a backend takes, by zone, on each agent. */
public enum ZoneAffinity {
    /** The servers of every zone (the default). */
    ALL,
    /** Only the servers of the agent's own zone. */
    LOCAL,
    /** Only the servers of the other zones. */
    OTHER;

    /** The configuration word. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
