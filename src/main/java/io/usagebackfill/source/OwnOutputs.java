package io.usagebackfill.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Recognises the files this tool writes, so that a directory or glob never reads them back as logs when they sit
 * beside the logs, by what only they have: a rejects file ({@code X} with its companion {@code X.reasons.csv}, or a
 * partition's {@code X.part-N} with one, or the default {@code usage-backfill-rejects-*.log}), a reasons file or a
 * {@code --csv-out} file (their exact headers), a {@code --report-json} file (the first members of a report, in
 * the order the tool writes them; a JSON log line that merely starts with {@code "status"} is a log) and a
 * {@code --report-html} page (the mark in its head). A file named as
 * a PATH itself is always read (a fixed rejects file fed back). Stateless and thread-safe.
 */
public final class OwnOutputs {

    private static final Pattern DEFAULT_REJECTS = Pattern.compile("usage-backfill-rejects-.*\\.log(\\.part-\\d+)?");
    private static final String REASONS_HEADER = "rejects_line,file,line,reason";
    private static final String CSV_HEADER = "id,user_id,session_id,provider,model,prompt_tokens,completion_tokens,total_tokens,cost_usd,created_at\n";
    /** A report's first members, as {@code RunReport} orders them; no log line has these four in this order. */
    private static final List<String> REPORT_OPENING = List.of("status", "dryRun", "database", "executionId");
    private static final JsonFactory JSON = new JsonFactory();
    /** In the head of every page {@code HtmlReport} writes, naming the execution it reports. */
    private static final String PAGE_MARK = "<meta name=\"usage-backfill-execution\"";

    private OwnOutputs() {
    }

    /** What the file is, when the tool wrote it ("a rejects file", ...), or null for a file to read as a log. */
    public static String kindOf(Path file) {
        String name = file.getFileName().toString();
        if (DEFAULT_REJECTS.matcher(name).matches() || Files.exists(file.resolveSibling(name + ".reasons.csv"))) {
            return "a rejects file of this tool";
        }
        if (name.endsWith(".csv")) {
            String head = head(file, 128);
            return head.startsWith(REASONS_HEADER) ? "the reasons of a rejects file of this tool"
                    : head.startsWith(CSV_HEADER) ? "a --csv-out export of this tool" : null;
        }
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return head(file, 512).contains(PAGE_MARK) ? "a --report-html page of this tool" : null;
        }
        return name.endsWith(".json") && opensAsReport(head(file, 512)) ? "a --report-json report of this tool" : null;
    }

    private static boolean opensAsReport(String head) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), head)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            for (String expected : REPORT_OPENING) {
                if (parser.nextToken() != JsonToken.PROPERTY_NAME || !expected.equals(parser.currentName())) {
                    return false;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    private static String head(Path file, int bytes) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
