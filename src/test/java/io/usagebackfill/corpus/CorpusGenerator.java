package io.usagebackfill.corpus;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a deterministic log corpus for tests and the benchmark: pino JSON lines in which about 30% are
 * {@code token_usage} events, optionally mixed with every other shape and salted with bad events.
 *
 * <p>Depends on the JDK only, so it also runs as a single source file:
 * {@code java src/test/java/io/usagebackfill/corpus/CorpusGenerator.java --lines 600000 --out /tmp/corpus}.
 * It prints what it wrote (lines, valid events, bad events, user ids) as one JSON object on stdout.
 */
public final class CorpusGenerator {

    /** Every event carries a user and a session id drawn from these pools, so the guide's FKs can be satisfied. */
    public static final int USERS = 500;
    public static final int SESSIONS = 2_000;

    private static final long START_MILLIS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    private static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet", "claude-3-5-haiku",
        "gemini-1.5-pro", "o3-mini"};
    private static final String[] PROVIDERS = {"openai", "openai", "anthropic", "anthropic", "google", "openai"};
    private static final String[] ROUTES = {"/api/chat", "/api/complete", "/api/embed", "/healthz", "/api/threads"};
    private static final String[] BAD = {
        "\"user_id\":\"not-a-uuid\"", "\"prompt_tokens\":-5", "\"prompt_tokens\":\"lots\"",
        "\"completion_tokens\":99999999999", "\"provider\":\"\"", "\"cost_usd\":1e9"};

    private final Settings settings;
    private final Random random;
    private long written;
    private long valid;
    private long bad;
    private Totals totals = new Totals(0, 0, 0, 0);

    public CorpusGenerator(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** What to write. {@code eventShare} and {@code badShare} are fractions of all lines and of events. */
    public record Settings(long lines, int files, long seed, double eventShare, double badShare, boolean mixed,
            boolean gzip) {

        public static Settings pino(long lines) {
            return new Settings(lines, 1, 42, 0.30, 0.0, false, false);
        }

        public Settings withFiles(int count) {
            return new Settings(lines, count, seed, eventShare, badShare, mixed, gzip);
        }

        public Settings withBadShare(double share) {
            return new Settings(lines, files, seed, eventShare, share, mixed, gzip);
        }

        public Settings mixedShapes() {
            return new Settings(lines, files, seed, eventShare, badShare, true, gzip);
        }
    }

    /** What was written: enough for a test or a benchmark to know the right answer beforehand. */
    public record Written(List<Path> files, long lines, long validEvents, long badEvents, Totals totals) {

        public String toJson() {
            return "{\"files\":" + files.size() + ",\"lines\":" + lines + ",\"validEvents\":" + validEvents
                    + ",\"badEvents\":" + badEvents + "}";
        }
    }

    /** The valid events' token columns and cost (in the table's micro-dollars) added up, as the table should. */
    public record Totals(long promptTokens, long completionTokens, long totalTokens, long costMicros) {

        Totals plus(long prompt, long completion, long costMicros) {
            return new Totals(promptTokens + prompt, completionTokens + completion,
                    totalTokens + prompt + completion, this.costMicros + costMicros);
        }
    }

    public Written writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> paths = new ArrayList<>();
        long perFile = settings.lines() / settings.files();
        for (int f = 0; f < settings.files(); f++) {
            long count = f == settings.files() - 1 ? settings.lines() - perFile * f : perFile;
            Path path = dir.resolve(String.format("app-%03d.log%s", f, settings.gzip() ? ".gz" : ""));
            try (Writer out = open(path)) {
                for (long i = 0; i < count; i++) {
                    out.write(line());
                    out.write('\n');
                }
            }
            paths.add(path);
        }
        return new Written(List.copyOf(paths), written, valid, bad, totals);
    }

    /**
     * The ids the generated events use, for the rows a benchmark puts in {@code users}: spread like real random
     * UUIDs (ids built from a counter in both halves would all share one hash code and skew every hash set).
     */
    public static UUID userId(int i) {
        return UUID.nameUUIDFromBytes(("user-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static UUID sessionId(int i) {
        return UUID.nameUUIDFromBytes(("session-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code users.csv} and {@code sessions.csv}: the ids the events use, to fill the tables the FKs point at. */
    public static void writeIds(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(userId(i).toString());
        }
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(sessionId(i).toString());
        }
        Files.write(dir.resolve("users.csv"), users);
        Files.write(dir.resolve("sessions.csv"), sessions);
    }

    private Writer open(Path path) throws IOException {
        OutputStream out = Files.newOutputStream(path);
        if (settings.gzip()) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    private String line() {
        long n = written++;
        long millis = START_MILLIS + n * 37;
        if (random.nextDouble() >= settings.eventShare()) {
            return noise(n, millis);
        }
        boolean broken = random.nextDouble() < settings.badShare();
        if (broken) {
            bad++;
        } else {
            valid++;
        }
        String payload = payload(n, broken);
        if (!settings.mixed()) {
            return pino(millis, payload);
        }
        return switch ((int) (n % 5)) {
            case 0 -> pino(millis, payload);
            case 1 -> "{\"level\":\"info\",\"message\":\"token_usage\",\"timestamp\":\"" + iso(millis) + "\","
                    + payload + "}";
            case 2 -> iso(millis) + " INFO [usage] token_usage {" + payload + "}";
            case 3 -> "{\"log\":\"" + pino(millis, payload).replace("\\", "\\\\").replace("\"", "\\\"")
                    + "\\n\",\"stream\":\"stdout\",\"time\":\"" + iso(millis) + "\"}";
            default -> iso(millis) + " stdout F " + pino(millis, payload);
        };
    }

    private String payload(long n, boolean broken) {
        int model = random.nextInt(MODELS.length);
        int prompt = 20 + random.nextInt(4_000);
        int completion = 1 + random.nextInt(800);
        String cost = String.format(java.util.Locale.ROOT, "%.7f", (prompt * 0.15 + completion * 0.6) / 1_000_000);
        String payload = "\"reqId\":\"req-" + n + "\",\"user_id\":\"" + userId(random.nextInt(USERS))
                + "\",\"session_id\":\"" + sessionId(random.nextInt(SESSIONS)) + "\",\"provider\":\""
                + PROVIDERS[model] + "\",\"model\":\"" + MODELS[model] + "\",\"prompt_tokens\":" + prompt
                + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion)
                + ",\"cost_usd\":" + cost;
        if (!broken) {
            totals = totals.plus(prompt, completion, new java.math.BigDecimal(cost).movePointRight(6)
                    .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        }
        // A later key wins in our reader as in JavaScript, so appending the broken field breaks the event.
        return broken ? payload + "," + BAD[(int) (n % BAD.length)] : payload;
    }

    private static String pino(long millis, String payload) {
        return "{\"level\":30,\"time\":" + millis + ",\"pid\":7,\"hostname\":\"api-1\",\"msg\":\"token_usage\","
                + payload + "}";
    }

    private String noise(long n, long millis) {
        return "{\"level\":30,\"time\":" + millis + ",\"pid\":7,\"hostname\":\"api-1\",\"reqId\":\"req-" + n
                + "\",\"url\":\"" + ROUTES[random.nextInt(ROUTES.length)] + "\",\"responseTime\":"
                + random.nextInt(3_000) + ",\"msg\":\"request completed\"}";
    }

    private static String iso(long millis) {
        return java.time.Instant.ofEpochMilli(millis).toString();
    }

    public static void main(String[] args) throws IOException {
        long lines = 600_000;
        int files = 1;
        double bad = 0;
        boolean mixed = false;
        boolean gzip = false;
        Path out = null;
        Path ids = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i]);
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--bad" -> bad = Double.parseDouble(args[++i]);
                case "--mixed" -> mixed = true;
                case "--gzip" -> gzip = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--ids" -> ids = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --lines N --files N --bad FRACTION --mixed --gzip --out DIR [--ids DIR]");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        if (ids != null) {
            writeIds(ids);
        }
        Settings settings = new Settings(lines, files, 42, 0.30, bad, mixed, gzip);
        System.out.println(new CorpusGenerator(settings).writeTo(out).toJson());
    }
}
