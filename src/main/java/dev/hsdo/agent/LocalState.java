package dev.hsdo.agent;

import dev.hsdo.model.Plan;
import dev.hsdo.store.PlanJson;
import dev.hsdo.store.StoreException;
import dev.hsdo.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * What an agent keeps in its data directory across restarts: the last plan it applied, so that an agent
 * (re)started while the store is down serves that plan rather than nothing, and its instance nonce, so that
 * the fleet tells a restarted agent from a second agent started under the same id. Files are replaced
 * atomically; a damaged one is reported and ignored, never fatal.
 */
public final class LocalState {
    private static final Logger log = LoggerFactory.getLogger(LocalState.class);
    /** The last applied plan, as JSON. */
    public static final String PLAN_FILE = "agent-last-plan.json";
    private static final String INSTANCE_FILE = "agent-instance";

    private final Path dir;
    private final Object lock = new Object();
    // guarded by lock: the plan last saved, so that an unchanged plan is not written again
    private Plan saved;

    public LocalState(Path dir) {
        this.dir = dir;
    }

    /** The plan file. */
    public Path planFile() {
        return dir.resolve(PLAN_FILE);
    }

    /** The last applied plan, or empty when there is none or it cannot be read (reported). */
    public Optional<Plan> loadPlan() {
        Path file = planFile();
        try {
            Plan plan = PlanJson.read(Files.readString(file), file.toString());
            synchronized (lock) {
                saved = plan;
            }
            return Optional.of(plan);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | StoreException | RuntimeException e) {
            log.warn("ignoring the last applied plan in {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Keeps {@code plan} as the last applied one; a failure is reported, never thrown (HAProxy runs it anyway). */
    public void savePlan(Plan plan) {
        synchronized (lock) {
            if (plan == null || plan.equals(saved)) return;
            try {
                AtomicFiles.write(planFile(), PlanJson.write(plan));
                saved = plan;
            } catch (IOException e) {
                log.warn("cannot keep plan {} in {}: {}", plan.generation(), planFile(), e.getMessage());
            }
        }
    }

    /**
     * This agent's instance nonce: read from the data directory, or made and kept there on first use. When it
     * cannot be kept, a fresh one for this run.
     */
    public String instance() {
        Path file = dir.resolve(INSTANCE_FILE);
        try {
            String s = Files.readString(file).strip();
            if (s.matches("[0-9a-f-]{36}")) return s;
            log.warn("ignoring {}: not an instance id", file);
        } catch (NoSuchFileException e) {
            // first start in this directory
        } catch (IOException e) {
            log.warn("cannot read {}: {}", file, e.getMessage());
        }
        String made = UUID.randomUUID().toString();
        try {
            // Renamed into place but not synced: losing it in a crash only makes the next start wait out this
            // instance's last report (see StatusReporter#claim), and a sync here would compete with the store's
            // own disk writes while agents start.
            Path tmp = Files.createTempFile(dir, INSTANCE_FILE + ".", ".tmp");
            try {
                Files.writeString(tmp, made + "\n");
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            log.warn("cannot keep the agent instance id in {}: {}", file, e.getMessage());
        }
        return made;
    }
}
