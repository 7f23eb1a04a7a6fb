package dev.hsdo.haproxy;

import dev.hsdo.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Lua action an http-mode active/backup backend runs before its {@code stick on}: a request waits until the
 * backend's stick table has an entry, for at most a second. A fresh HAProxy (or the new worker of a reload) learns
 * the entry from its peers a few ms after it starts; a request in that gap would stick to this instance's own first
 * pick and push it to the whole fleet. In tcp mode {@code tcp-request content ... WAIT_END} does the same, but an
 * http request is complete when those rules run and the wait ends at once. The file is written beside the config
 * it is loaded from, before HAProxy checks or loads that config.
 */
public final class AwaitStickLua {
    /** The action's name in {@code http-request lua.<name> <backend>}. */
    public static final String ACTION = "hsdo_await_stick";
    static final String FILE_NAME = "hsdo-await-stick.lua";
    // 100 polls of 10 ms: the bound is the same second as the tcp rule's inspect-delay. core.msleep yields, so a
    // waiting request holds no thread.
    static final String TEXT = """
            -- Written by hsdo: see AwaitStickLua. Waits (at most 1 s) until the backend's stick table has an entry.
            core.register_action("%s", { "http-req" }, function(txn, backend)
              local be = core.backends[backend]
              local t = be and be.stktable
              if t == nil then return end
              for _ = 1, 100 do
                if t:info().used > 0 then return end
                core.msleep(10)
              end
            end, 1)
            """.formatted(ACTION);

    private AwaitStickLua() {}

    /** The file's text. */
    public static String text() {
        return TEXT;
    }

    /** Where a config at {@code configFile} loads the action from. */
    public static Path beside(Path configFile) {
        return configFile.toAbsolutePath().normalize().resolveSibling(FILE_NAME);
    }

    /**
     * Writes the action's file beside {@code configFile} when {@code configText} loads it and the file is missing or
     * differs; a config that does not load it changes nothing.
     */
    public static void writeFor(Path configFile, String configText) throws IOException {
        Path lua = beside(configFile);
        if (!configText.contains("lua-load " + lua + "\n")) return;
        if (Files.exists(lua) && Files.readString(lua, StandardCharsets.UTF_8).equals(TEXT)) return;
        AtomicFiles.write(lua, TEXT);
    }
}
