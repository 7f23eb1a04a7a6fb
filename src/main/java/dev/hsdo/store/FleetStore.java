package dev.hsdo.store;

import java.time.Duration;

/**
 * A store shared by the controllers and agents of a fleet: the one channel they talk through. It hands
 * out the plan store, a leader election and the agent registry, all over one connection.
 */
public interface FleetStore extends AutoCloseable {
    /** The plan store. */
    PlanStore plans();

    /** A new election in which {@code candidateId} campaigns with a lease of {@code leaseTtl}. */
    LeaderElection election(String candidateId, Duration leaseTtl);

    /** A new view of the agent registry whose entries live {@code ttl} unless renewed. */
    AgentRegistry agents(Duration ttl);

    /** Closes the connection and everything handed out. */
    @Override
    void close();
}
