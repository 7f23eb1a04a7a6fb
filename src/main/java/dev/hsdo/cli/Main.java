package dev.hsdo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;

/** The {@code hsdo} command. Every subcommand takes {@code --help} and {@code --version} too (INHERIT). */
@Command(name = "hsdo", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = VersionCommand.Provider.class,
        description = "Keeps HAProxy in step with service discovery through the Runtime API.",
        subcommands = {RunCommand.class, SidecarCommand.class, ControllerCommand.class, AgentCommand.class, QuickstartCommand.class, RenderCommand.class, PlanCommand.class,
                ValidateCommand.class, VersionCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // One writer per stream for the whole command tree (picocli otherwise makes one per subcommand), so
        // that it can be flushed here: System.exit does not flush, and output printed without a line end (a
        // rendered config) would be lost.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The command line with hsdo's error handling: a bad config is one clear message, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            cmd.getErr().println("hsdo: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ex instanceof dev.hsdo.config.ConfigException ? 2 : 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
