package dev.hsdo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hsdo version}. */
@Command(name = "version", description = "Prints hsdo's version.")
final class VersionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return "hsdo " + (v == null ? "dev" : v);
    }

    @Override
    public void run() {
        spec.commandLine().getOut().println(version());
    }

    /** For {@code hsdo --version}. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }
}
