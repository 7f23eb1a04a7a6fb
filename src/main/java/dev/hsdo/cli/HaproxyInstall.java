package dev.hsdo.cli;

import java.io.File;
import java.io.PrintWriter;
import java.util.List;

/** Makes sure an {@code haproxy} binary is there for the quickstart, installing it with apt-get as root. */
final class HaproxyInstall {
    private HaproxyInstall() {}

    static boolean onPath() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator))
            if (new File(dir, "haproxy").canExecute()) return true;
        return new File("/usr/sbin/haproxy").canExecute();
    }

    /** True when haproxy is (now) installed; otherwise prints the command to run and returns false. */
    static boolean ensure(PrintWriter err) throws Exception {
        if (onPath()) return true;
        String cmd = "apt-get update && apt-get install -y haproxy";
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !new File("/usr/bin/apt-get").canExecute()) {
            err.println("hsdo: HAProxy is not installed. Install it with:\n  sudo " + cmd);
            return false;
        }
        err.println("hsdo: HAProxy is not installed; running: " + cmd);
        err.flush();
        Process p = new ProcessBuilder(List.of("sh", "-c", "DEBIAN_FRONTEND=noninteractive " + cmd))
                .inheritIO().start();
        if (p.waitFor() != 0 || !onPath()) {
            err.println("hsdo: installing HAProxy failed; run: sudo " + cmd);
            return false;
        }
        return true;
    }
}
