package io.usagebackfill.job;

import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.step.Step;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;

/**
 * Where the load step's partitions run: on this machine's threads ({@code --threads}), or by worker processes that
 * take them from a message broker ({@code --broker}, see {@code io.usagebackfill.remote}). The application has one
 * such bean; the job asks it for each execution's partition handler. Implementations are thread-safe.
 */
public interface PartitionRunner {

    /**
     * The handler of one execution's load step.
     *
     * @param worker the partition worker step, for a handler that runs it in this process
     * @param partitions how many partitions the run planned
     * @param showCheckpoints shows the progress the partitions' committed checkpoints add up to, for a handler
     *     whose partitions run where this process cannot watch them
     */
    PartitionHandler handler(Step worker, int partitions, Runnable showCheckpoints) throws Exception;

    /** The queue a remote runner sends partitions to, recorded with the run; empty for this machine's threads. */
    String queue();

    /** One partition on the caller's thread, several on one thread each. */
    static PartitionRunner onThreads() {
        return new PartitionRunner() {
            @Override
            public PartitionHandler handler(Step worker, int partitions, Runnable showCheckpoints)
                    throws Exception {
                SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("usage-backfill-");
                threads.setConcurrencyLimit(partitions);
                TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
                handler.setStep(worker);
                handler.setGridSize(partitions);
                handler.setTaskExecutor(partitions == 1 ? new SyncTaskExecutor() : threads);
                handler.afterPropertiesSet();
                return handler;
            }

            @Override
            public String queue() {
                return "";
            }
        };
    }
}
