package dev.hsdo.haproxy;

/** HAProxy refused a config, did not start, or did not confirm a reload; the message carries HAProxy's words. */
public class HaproxyException extends Exception {
    public HaproxyException(String message) {
        super(message);
    }

    public HaproxyException(String message, Throwable cause) {
        super(message, cause);
    }
}
