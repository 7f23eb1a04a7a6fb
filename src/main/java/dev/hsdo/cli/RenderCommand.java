package dev.hsdo.cli;

import dev.hsdo.config.HsdoConfig;
import dev.hsdo.haproxy.AwaitStickLua;
import dev.hsdo.haproxy.ConfigRenderer;
import dev.hsdo.haproxy.HaproxyConfigFile;
import dev.hsdo.haproxy.HaproxyProcess;
import dev.hsdo.haproxy.RuntimePaths;
import dev.hsdo.model.Plan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code hsdo render}: prints the haproxy.cfg hsdo would run, with the servers the sources list now. */
@Command(name = "render", description = "Prints the haproxy.cfg for the current sources; non-zero when it is invalid.")
final class RenderCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--no-check", description = "Do not run 'haproxy -c' on the result.")
    boolean noCheck;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HsdoConfig c = config.load();
        Plan plan = OneShot.plan(c);
        RuntimePaths paths = RuntimePaths.in(c.haproxy().runtimeDir());
        String text = ConfigRenderer.render(c, plan, paths);
        spec.commandLine().getOut().print(text);
        if (noCheck) return 0;
        Path tmp = Files.createTempFile("hsdo-render", ".cfg");
        // The check loads the tenant map: an empty stand-in, so that it passes before hsdo ever wrote the real one.
        Path map = c.tenants() == null ? null : Files.createTempFile("hsdo-render", ".map");
        // Likewise the active/backup Lua action, which hsdo writes beside the config it runs.
        Path lua = AwaitStickLua.beside(paths.configFile());
        Path luaStandIn = text.contains(lua.toString()) ? Files.createTempFile("hsdo-render", ".lua") : null;
        try {
            String checked = map == null ? text : text.replace(c.tenants().mapFile().toString(), map.toString());
            if (luaStandIn != null) {
                Files.writeString(luaStandIn, AwaitStickLua.text());
                checked = checked.replace(lua.toString(), luaStandIn.toString());
            }
            Files.writeString(tmp, checked);
            HaproxyConfigFile.CheckResult r = HaproxyProcess.check(c.haproxy().binary(), tmp);
            if (!r.ok()) {
                spec.commandLine().getErr().println("hsdo: haproxy -c rejects the rendered config:\n" + r.output());
                return 1;
            }
            return 0;
        } finally {
            Files.deleteIfExists(tmp);
            if (map != null) Files.deleteIfExists(map);
            if (luaStandIn != null) Files.deleteIfExists(luaStandIn);
        }
    }
}
