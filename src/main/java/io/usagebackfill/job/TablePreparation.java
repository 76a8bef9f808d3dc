package io.usagebackfill.job;

import static io.usagebackfill.job.JobParameterNames.*;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.usagebackfill.checkpoint.StateJson;
import io.usagebackfill.load.MissingPartitionsException;
import io.usagebackfill.load.PartitionLayout;
import io.usagebackfill.load.PartitionRange;
import io.usagebackfill.load.RowSecurity;
import io.usagebackfill.load.TableLimits;
import io.usagebackfill.load.TableShape;
import io.usagebackfill.load.TargetNotes;
import io.usagebackfill.load.TargetTable;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The step between finding the files and loading them: looks at the table as the run's role sees it (how the rows
 * will go in, and why), and, where the table is partitioned by RANGE on {@code created_at} with no DEFAULT
 * partition, at the times of the events the load will read ({@link EventTimes}), before any row is written. The
 * partitions they need that the table lacks are then made ({@code --create-partitions}), listed (a dry run), or
 * named in the run's failure, a configuration error ({@link MissingPartitionsException}). What it found goes to the
 * job's execution context for the report. One per step execution.
 */
final class TablePreparation implements Tasklet {

    private final DataSource dataSource;

    TablePreparation(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the catalog says of the table, read on the step's own transaction. */
    private record Found(TableShape shape, RowSecurity security, PartitionLayout layout, TableLimits limits) {
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        JobParameters parameters = contribution.getStepExecution().getJobParameters();
        ExecutionContext job = contribution.getStepExecution().getJobExecution().getExecutionContext();
        String csvOut = parameters.getString(CSV_OUT);
        if (dataSource == null || csvOut != null && !csvOut.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        TargetTable table = TargetTable.parse(parameters.getString(TABLE));
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Found found = jdbc.execute((ConnectionCallback<Found>) connection -> new Found(
                TableShape.inspect(connection, table), RowSecurity.inspect(connection, table),
                PartitionLayout.inspect(connection, table), TableLimits.of(connection, table)));
        PartitionLayout layout = found.layout();
        Map<PartitionRange, Long> missing = Map.of();
        if (layout.needsEveryTime()) {
            Long threads = parameters.getLong(THREADS);
            missing = new EventTimes(parameters, found.limits(), layout.grid())
                    .missing(RunPartitions.of(job), threads == null ? 1 : threads.intValue());
        }
        boolean dryRun = Boolean.parseBoolean(parameters.getString(DRY_RUN));
        List<TargetNotes.Partition> created = List.of();
        if (!missing.isEmpty() && !dryRun) {
            if (!Boolean.parseBoolean(parameters.getString(CREATE_PARTITIONS))) {
                throw new MissingPartitionsException(layout, missing);
            }
            Map<PartitionRange, Long> make = missing;
            // Committed with this step, before the load's first chunk.
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                try {
                    layout.create(connection, make.keySet());
                } catch (SQLException refused) {
                    throw MissingPartitionsException.notMade(layout, make, refused);
                }
                return null;
            });
            created = TargetNotes.partitions(layout, missing);
        }
        TargetNotes notes = new TargetNotes(RowSecurity.loadPath(found.shape(), found.security()),
                found.security().active(), layout.how(), dryRun ? TargetNotes.partitions(layout, missing) : List.of(),
                created, layout.defaultPartition() == null ? null : layout.typed(layout.defaultPartition()));
        job.putString(TARGET_NOTES, StateJson.MAPPER.writeValueAsString(notes));
        return RepeatStatus.FINISHED;
    }
}
