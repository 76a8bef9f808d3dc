package io.usagebackfill.run;

import org.springframework.stereotype.Component;

/**
 * Whether the run was asked to stop (SIGINT or SIGTERM), and by which signal. The writers look at it before each
 * chunk's write, so the chunk in flight rolls back instead of committing; one instance per command. Thread-safe.
 */
@Component
public class StopRequest {

    /** What {@link #signal} says when the run stopped because its lock's connection was lost, not for a signal. */
    public static final String LOST_LOCK = "the run lock's connection was lost";

    private volatile String signal;

    /** Asks the run to stop; the first signal is the one remembered. */
    public synchronized void request(String signalName) {
        if (signal == null) {
            signal = signalName;
        }
    }

    public boolean requested() {
        return signal != null;
    }

    /** {@code INT} or {@code TERM}, {@link #LOST_LOCK}, or null when no stop was asked for. */
    public String signal() {
        return signal;
    }
}
