package io.usagebackfill.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Recognises the files this tool writes, so that a directory or glob never reads them back as logs when they sit
 * beside the logs: a rejects file ({@code X} with its {@code X.reasons.csv}, or a partition's {@code X.part-N}, or
 * the default {@code usage-backfill-rejects-*.log}), a reasons file, a {@code --csv-out} file (its header) and a
 * {@code --report-json} file (its opening). A file named as a PATH itself is always read (a fixed rejects file fed
 * back). Stateless and thread-safe.
 */
public final class OwnOutputs {

    private static final Pattern DEFAULT_REJECTS = Pattern.compile("usage-backfill-rejects-.*\\.log(\\.part-\\d+)?");
    private static final Pattern PART = Pattern.compile(".*\\.part-\\d+");
    private static final String REASONS_HEADER = "rejects_line,file,line,reason";
    private static final String CSV_HEADER = "id,user_id,session_id,provider,model,";
    private static final Pattern REPORT_OPENING = Pattern.compile("\\{\\s*\"status\"\\s*:.*", Pattern.DOTALL);

    private OwnOutputs() {
    }

    public static boolean isOwnOutput(Path file) {
        String name = file.getFileName().toString();
        if (DEFAULT_REJECTS.matcher(name).matches()
                || Files.exists(file.resolveSibling(name + ".reasons.csv"))
                || PART.matcher(name).matches() && Files.exists(file.resolveSibling(name + ".reasons.csv"))) {
            return true;
        }
        if (name.endsWith(".csv")) {
            String head = head(file, 64);
            return head.startsWith(REASONS_HEADER) || head.startsWith(CSV_HEADER);
        }
        return name.endsWith(".json") && REPORT_OPENING.matcher(head(file, 64)).matches();
    }

    private static String head(Path file, int bytes) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
