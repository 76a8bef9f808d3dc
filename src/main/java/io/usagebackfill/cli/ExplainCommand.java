package io.usagebackfill.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.catalog.RejectedLineException;
import io.usagebackfill.normalize.EventNormalizer;
import io.usagebackfill.normalize.TokenUsage;
import io.usagebackfill.parse.EventArrays;
import io.usagebackfill.parse.EventRecognizer;
import io.usagebackfill.parse.RecognizedEvent;
import io.usagebackfill.read.LogLine;
import io.usagebackfill.read.LogLineReader;
import io.usagebackfill.source.SourceDiscovery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code explain FILE[:LINE]... | -}: how each line is read, exactly as {@code import} reads it: the wrappers taken off
 * and the shapes read, which key gave each column, and the row or the reject's reason; for an event it cannot read,
 * the keys it saw and a {@code --fields} line that would read it. Reads no database and writes nothing.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Shows how lines are read: the wrappers taken off, the shape, which key gave each column, and"
                + " the row or the reject's reason. FILE:LINE explains one line (.gz and archives as import reads"
                + " them), FILE every token_usage line of the file (at most --max), - lines from standard input.")
final class ExplainCommand implements Callable<Integer> {

    private static final Pattern AT_LINE = Pattern.compile("(.+):(\\d+)");

    @Parameters(paramLabel = "FILE[:LINE]", arity = "1..*", description = "A log file, a line of it, or - for"
            + " lines on standard input.")
    List<String> targets;

    @Mixin
    ReadingOptions reading;

    @Option(names = "--max", paramLabel = "N", defaultValue = "20", description = "At most this many lines of a"
            + " whole file (default ${DEFAULT-VALUE}).")
    int max;

    private EventRecognizer recognizer;
    private EventNormalizer normalizer;
    private final PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        FieldCatalog catalog = reading.catalog();
        recognizer = reading.recognizer(catalog);
        normalizer = reading.normalizer(catalog);
        for (String target : targets) {
            if (target.equals("-")) {
                explainStandardInput();
            } else {
                explainFile(target);
            }
        }
        return ExitCodes.OK;
    }

    private void explainStandardInput() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            explain("stdin:" + number, line);
        }
    }

    private void explainFile(String target) throws IOException {
        Path file = Path.of(target);
        long wanted = 0;
        Matcher at = AT_LINE.matcher(target);
        if (!Files.exists(file) && at.matches()) {
            file = Path.of(at.group(1));
            wanted = Long.parseLong(at.group(2));
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new UsageException(file + " is not a readable file; give a log file, FILE:LINE, or - for standard"
                    + " input");
        }
        var found = new SourceDiscovery().discover(List.of(file.toString()), false);
        int shown = 0;
        try (LogLineReader reader = new LogLineReader(found.files(), 1 << 20, false, EventArrays::split)) {
            for (LogLine line = reader.read(); line != null; line = reader.read()) {
                if (wanted > 0 && line.lineNumber() != wanted) {
                    if (line.lineNumber() > wanted) {
                        break;
                    }
                    continue;
                }
                if (wanted == 0 && shown == max) {
                    out.println("(more lines name token_usage; explain FILE:LINE shows one, --max N more)");
                    break;
                }
                explain(line.where(), line.text());
                shown++;
            }
        }
        if (shown == 0) {
            out.println(wanted > 0 ? file + ":" + wanted + ": the line does not mention token_usage (or there is no"
                    + " such line): it is counted among the other lines, not read further"
                    : file + ": no line mentions token_usage");
        }
    }

    private void explain(String where, String text) {
        out.println(where);
        out.println("  line: " + abbreviated(text));
        RecognizedEvent event;
        try {
            event = recognizer.recognize(text);
        } catch (RejectedLineException e) {
            out.println("  rejected: " + e.getMessage());
            return;
        }
        if (event == null) {
            out.println("  not an event: it mentions token_usage, but no field names it as the event (counted as"
                    + " ignored)");
            for (String path : RawKeys.naming(text)) {
                out.println("  if it is the event, name that field in a --fields file: event += " + path);
            }
            return;
        }
        out.println("  read as: " + String.join(" → ", event.path()));
        try {
            EventNormalizer.Normalized normalized = normalizer.normalize(event);
            TokenUsage row = normalized.row();
            out.println("  row: provider=" + row.provider() + " model=" + row.model() + " prompt_tokens="
                    + row.promptTokens() + " completion_tokens=" + row.completionTokens() + " total_tokens="
                    + row.totalTokens() + " cost_usd=" + (row.costMicros() == null ? "NULL"
                    : java.math.BigDecimal.valueOf(row.costMicros(), 6).toPlainString()) + " created_at="
                    + row.createdAt() + " user_id=" + row.userId() + " session_id=" + row.sessionId());
            out.println("  id: " + row.id());
            for (String source : normalized.sources().describe()) {
                out.println("    " + source);
            }
        } catch (RejectedLineException e) {
            out.println("  rejected: " + event.explained(e).getMessage());
            Map<String, String> logged = RawKeys.of(event.identityText());
            if (!logged.isEmpty()) {
                out.println("  keys as logged: " + String.join(", ", logged.values().stream().limit(24).toList()));
            }
            for (String suggestion : suggestions(e.getMessage(), logged)) {
                out.println("  " + suggestion);
            }
        }
    }

    /**
     * What a --fields file could say, from the reason's words and the numbers it lists (as logged): a number named
     * like an input goes to prompt_tokens, one named like an output to completion_tokens; one that says neither is
     * left for the user to place.
     */
    private static List<String> suggestions(String reason, Map<String, String> logged) {
        List<String> lines = new ArrayList<>();
        boolean counts = reason.startsWith("no token counts") || reason.contains("does not add up")
                || reason.contains("is not in the usage data") || reason.contains("neither a model nor")
                || reason.contains("split across objects");
        boolean model = reason.startsWith("model is missing") || reason.contains("neither a model nor");
        boolean time = reason.startsWith("the event has no timestamp");
        if (!counts && !model && !time) {
            return lines;
        }
        lines.add("to read it, name its fields in a --fields file (fields --print shows the catalog), e.g.:");
        if (counts) {
            String prompt = null;
            String completion = null;
            List<String> others = new ArrayList<>();
            for (String key : numericKeys(reason)) {
                String path = logged.getOrDefault(key, key);
                String last = key.substring(key.lastIndexOf('.') + 1);
                if (prompt == null && (last.startsWith("in") || last.contains("prompt") || last.contains("input"))) {
                    prompt = path;
                } else if (completion == null && (last.startsWith("out") || last.contains("completion")
                        || last.contains("output") || last.contains("generat"))) {
                    completion = path;
                } else {
                    others.add(path);
                }
            }
            if (!reason.contains("a completion count is not")) {
                lines.add("    prompt_tokens += " + (prompt != null ? prompt : "<path of the input count>"));
            }
            if (!reason.contains("a prompt count is not")) {
                lines.add("    completion_tokens += " + (completion != null ? completion
                        : "<path of the output count>"));
            }
            if (!others.isEmpty()) {
                lines.add("    (numbers it could not tell: " + String.join(", ", others) + ")");
            }
        }
        if (model) {
            lines.add("    model += <path of the model's name>");
        }
        if (time) {
            lines.add("    time += <path of the event's time>");
        }
        lines.add("then: usage-backfill explain --fields FILE <the same line>");
        return lines;
    }

    /** The {@code key=number} pairs a reason lists (its keys in normal form). */
    private static List<String> numericKeys(String reason) {
        List<String> keys = new ArrayList<>();
        Matcher pair = Pattern.compile("([A-Za-z_@][\\w.@\\[\\]~-]*)=(-?[0-9][0-9.eE+-]*)").matcher(reason);
        while (pair.find()) {
            String key = pair.group(1);
            if (!key.startsWith("time") && !keys.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String abbreviated(String text) {
        String line = text.strip();
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
