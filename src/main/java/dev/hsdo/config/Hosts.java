package dev.hsdo.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The local host's name, for default ids. */
final class Hosts {
    private Hosts() {}

    /** The host name, reduced to the characters an id allows; {@code localhost} when it cannot be found. */
    static String name() {
        String n = System.getenv("HOSTNAME");
        if (n == null || n.isBlank()) {
            try {
                n = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                n = "localhost";
            }
        }
        String clean = n.replaceAll("[^A-Za-z0-9_.:-]", "-");
        return clean.length() > 48 ? clean.substring(0, 48) : clean;
    }
}
