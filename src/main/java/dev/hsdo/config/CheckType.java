package dev.hsdo.config;

/** How a backend's servers are health-checked. */
public enum CheckType {
    /** An HTTP request ({@code option httpchk}); the default of http backends. */
    HTTP("http"),
    /** A TCP connect, optionally with send/expect steps ({@code tcp-check}); the default of tcp backends. */
    TCP("tcp"),
    /** A MySQL/MariaDB handshake ({@code option mysql-check}); tcp backends only. */
    MYSQL("mysql"),
    /** A program run by HAProxy ({@code option external-check}). */
    EXTERNAL("external");

    private final String word;

    CheckType(String word) {
        this.word = word;
    }

    /** The word in {@code hsdo.yaml}. */
    public String word() {
        return word;
    }
}
