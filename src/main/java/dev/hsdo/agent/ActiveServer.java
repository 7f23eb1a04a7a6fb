package dev.hsdo.agent;

import dev.hsdo.model.Tokens;

/**
 * Which server one active/backup backend's stick table names as active on this HAProxy.
 *
 * @param backend  the backend
 * @param active   the server's name, or null while the table has no entry
 * @param activeId the server's id, or null while the table has no entry
 */
public record ActiveServer(String backend, String active, Integer activeId) {
    public ActiveServer {
        Tokens.require(Tokens.isName(backend), "backend name", backend, "letters, digits, '-', '_', '.', ':'");
    }
}
