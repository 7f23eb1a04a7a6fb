package dev.hsdo.config;

/**
 * One step of a {@code tcp-check} sequence: send a string, or expect one in the reply. The text may hold
 * {@code \r}, {@code \n} and {@code \t} escapes (HAProxy's config parser turns them into the characters);
 * nothing else that could end the config word.
 *
 * @param send   the string to send, or null
 * @param expect the string the reply must contain, or null (exactly one of the two is set)
 */
public record TcpCheckStep(String send, String expect) {
    public TcpCheckStep {
        if ((send == null) == (expect == null))
            throw new IllegalArgumentException("a tcp-check step either sends or expects, got send=" + send + " expect=" + expect);
    }
}
