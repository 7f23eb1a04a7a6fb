package dev.hsdo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hsdo} command. */
@Command(name = "hsdo", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Keeps HAProxy in step with service discovery through the Runtime API.",
        subcommands = {RunCommand.class, SidecarCommand.class, ControllerCommand.class, AgentCommand.class, QuickstartCommand.class, RenderCommand.class, PlanCommand.class,
                ValidateCommand.class, VersionCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
