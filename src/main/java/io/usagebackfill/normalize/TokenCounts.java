package io.usagebackfill.normalize;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.usagebackfill.catalog.CanonicalTree;
import io.usagebackfill.catalog.CountNames;
import io.usagebackfill.catalog.CountNames.Role;
import io.usagebackfill.catalog.FieldPath;
import io.usagebackfill.catalog.Fields;
import io.usagebackfill.catalog.Numbers;
import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the three token counts by rule. The usage data is the first object that holds a count: the event's top, then
 * the catalog's {@code usage} objects, then each envelope and its usage objects, then any other object of the event
 * (breadth first); every count is read from that one object. In it, each member is placed by its name
 * ({@link CountNames}): a prompt, completion or total count, a part counted apart from the prompt or completion
 * (added to it) or inside it already (not added), or nothing. When a total is logged it must be accounted for: the
 * parts are added or not as the sum then equals it; when no reading does, and the usage data also holds numbers no
 * rule places or leaves a count out, the event is rejected with the keys and numbers (never a row with 0 for what
 * could not be read); a family whose total differs with every number placed is loaded as logged. An event with no
 * count is rejected; one absent count is 0 when nothing else is there to be it (embeddings log no completion), and
 * an absent total is the sum. Counts are numbers or numeric strings, whole, from 0 to what the target's column holds
 * ({@link CountLimits}). Stateless and thread-safe.
 */
final class TokenCounts {

    static final List<String> COUNTS = List.of("prompt_tokens", "completion_tokens", "total_tokens");

    /** Objects nested deeper than this are not looked into for usage data. */
    private static final int MAX_DEPTH = 4;

    private TokenCounts() {
    }

    /** The counts, and the usage data they were read from. */
    record Counts(long prompt, long completion, long total, Usage usage) {

        /** Which member gave each count, as {@code explain} prints it. */
        String source() {
            return usage.source();
        }
    }

    /**
     * @param scopes the event and its envelopes ({@link Fields#scopes})
     * @param limits the largest count each column of the target holds
     */
    static Counts read(List<JsonNode> scopes, Fields fields, CountLimits limits) {
        return read(find(scopes, fields), scopes, limits);
    }

    /** @param usage what {@link #find} found in the event's {@code scopes}, or null */
    static Counts read(Usage usage, List<JsonNode> scopes, CountLimits limits) {
        if (usage == null) {
            // Loading zeros here would store real spend as free.
            throw new RejectedLineException("no token counts: no member is named like a prompt, completion or total"
                    + " count (a stem such as prompt, input, completion, output, total with a suffix such as"
                    + " _tokens or TokenCount; fields --print lists them); keys seen: " + KeysSeen.of(scopes));
        }
        return usage.counts(limits);
    }

    /**
     * The usage data: the first object, in the order the class comment gives, that holds a prompt, completion or
     * total count (else the first that holds a part counted apart, as Gemini's thoughts alone). When it leaves out a
     * count that another object holds ({@code {"output_tokens": 1, "moderation": {"input_tokens": 500}}}), whether
     * that one belongs to the same call is unknowable: the event is rejected naming both, never loaded with 0 nor
     * with the other object's count.
     */
    static Usage find(List<JsonNode> scopes, Fields fields) {
        // Most events hold their counts at the top, all of them: no search beyond it.
        Usage top = placed(scopes.get(0), null, null, "the event", true, fields, fields.catalog().countNames(), null);
        if (top != null && top.hasMainCount() && !top.wantsMore()) {
            return top;
        }
        Seen seen = new Seen();
        seen.add(scopes.get(0));
        Candidates candidates = new Candidates(scopes, fields, seen, top);
        Usage primary = null;
        Usage partsOnly = null;
        for (Usage usage = candidates.next(); usage != null; usage = candidates.next()) {
            if (usage.hasMainCount()) {
                primary = usage;
                break;
            }
            partsOnly = partsOnly == null ? usage : partsOnly;
        }
        if (primary == null) {
            return partsOnly;
        }
        for (Usage later = primary.wantsMore() ? candidates.next() : null; later != null; later = candidates.next()) {
            primary.splitWith(later);
        }
        return primary;
    }

    /** The objects of an event that hold a count, placed, in the order the class comment gives. */
    private static final class Candidates {

        private final List<JsonNode> scopes;
        private final Fields fields;
        private final CountNames names;
        private final List<FieldPath> usagePaths;
        private final Seen seen;
        private final List<JsonNode> queue = new ArrayList<>(4);
        private final List<JsonNode> queueParents = new ArrayList<>(4);
        private final List<String> queueNames = new ArrayList<>(4);
        private final List<Integer> queueDepths = new ArrayList<>(4);
        private int scope;
        /** -1: the scope itself next; then its usage paths; past them, the next scope. */
        private int usagePath = -1;
        private int queued;

        /** The first object the event's top, already placed as {@code top} (null when it holds no count). */
        private Usage top;

        Candidates(List<JsonNode> scopes, Fields fields, Seen seen, Usage top) {
            this.scopes = scopes;
            this.fields = fields;
            this.names = fields.catalog().countNames();
            this.usagePaths = fields.catalog().paths("usage");
            this.seen = seen;
            this.top = top;
        }

        private void enqueue(JsonNode object, JsonNode parent, String name, int depth) {
            queue.add(object);
            queueParents.add(parent);
            queueNames.add(name);
            queueDepths.add(depth);
        }

        /** The next object that holds a count, or null when there is none left. */
        Usage next() {
            while (scope < scopes.size()) {
                JsonNode object = scopes.get(scope);
                Usage usage = null;
                if (usagePath < 0) {
                    usage = scope == 0 ? top : placed(object, null, null, "an envelope", true, fields, names, seen);
                    top = null;
                    queue.add(object);
                    queueParents.add(null);
                    queueNames.add("");
                    queueDepths.add(0);
                } else if (usagePath < usagePaths.size()) {
                    FieldPath path = usagePaths.get(usagePath);
                    FieldPath.Hit hit = path.find(object);
                    if (hit != null && hit.value().isObject()) {
                        List<String> steps = path.steps();
                        usage = placed(hit.value(), hit.holder(), steps.get(steps.size() - 1), path.text(), false,
                                fields, names, seen);
                    }
                } else {
                    scope++;
                    usagePath = -1;
                    continue;
                }
                usagePath++;
                if (usage != null) {
                    return usage;
                }
            }
            while (queued < queue.size()) {
                int i = queued++;
                JsonNode object = queue.get(i);
                String where = queueNames.get(i);
                if (queueDepths.get(i) < MAX_DEPTH) {
                    for (Map.Entry<String, JsonNode> member : object.properties()) {
                        JsonNode value = member.getValue();
                        String name = where.isEmpty() ? member.getKey() : where + "." + member.getKey();
                        if (value.isObject()) {
                            enqueue(value, object, name, queueDepths.get(i) + 1);
                        } else if (value.isArray() && value.size() == 1 && value.get(0).isObject()) {
                            // One record in a list (Haystack's meta[0].usage); of several, which is the call's is
                            // unknowable, so none is looked into.
                            enqueue(value.get(0), object, name + "[0]", queueDepths.get(i) + 1);
                        }
                    }
                }
                Usage usage = queueDepths.get(i) == 0 ? null
                        : placed(object, queueParents.get(i), lastStep(where), where, false, fields, names, seen);
                if (usage != null) {
                    return usage;
                }
            }
            return null;
        }
    }

    private static String lastStep(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /**
     * The object's members placed, or null when it holds no count (nor did it before: each object is placed once).
     *
     * @param ownName the object's key in normal form (a suffix there makes bare stems counts), or null
     * @param where the object's path, as reasons name it
     * @param shared whether the object is the event's top or an envelope, where other numbers (a pid, a latency) are
     *     no usage data unless they are named like tokens or counts
     */
    private static Usage placed(JsonNode object, JsonNode parent, String ownName, String where, boolean shared,
            Fields fields, CountNames names, Seen seen) {
        if (!object.isObject() || seen != null && !seen.add(object)) {
            return null;
        }
        boolean bare = ownName != null && names.namesCounts(ownName);
        Usage usage = new Usage(object, parent, where, shared);
        for (int c = 0; c < COUNTS.size(); c++) {
            List<FieldPath> paths = names.beyondStems(c);
            if (!paths.isEmpty()) {
                Fields.Found explicit = Fields.firstIn(object, paths);
                if (explicit == null) {
                    explicit = Fields.firstAddendsOnlyIn(object, paths);
                }
                if (explicit != null) {
                    usage.explicit(c, explicit);
                }
            }
        }
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            String key = member.getKey();
            JsonNode value = member.getValue();
            if (value.isContainer()) {
                continue;
            }
            if (value.isNull()) {
                Role role = names.role(key, bare);
                if (role.main()) {
                    usage.loggedNull(role.ordinal(), names.display(key));
                }
                continue;
            }
            int second = key.indexOf(CanonicalTree.SECOND);
            if (second > 0 && names.role(key.substring(0, second), bare) != Role.NONE) {
                // Two spellings of one count with two values (prompt_tokens and promptTokens): which was billed is
                // unknowable.
                usage.disagree(key.substring(0, second), object.get(key.substring(0, second)), value);
                continue;
            }
            Role role = second > 0 ? Role.NONE : names.role(key, bare);
            usage.place(role == Role.NONE ? key : names.display(key), value, role);
        }
        return usage.hasCount() ? usage : null;
    }

    /** The objects already placed, by identity (an object found by a usage path and again breadth first). */
    private static final class Seen {

        private final List<JsonNode> objects = new ArrayList<>(4);

        boolean add(JsonNode object) {
            for (int i = 0; i < objects.size(); i++) {
                if (objects.get(i) == object) {
                    return false;
                }
            }
            return objects.add(object);
        }
    }

    /** The members of one object, placed. */
    static final class Usage {

        private final JsonNode object;
        private final JsonNode parent;
        private final String where;
        private final boolean shared;
        private final Fields.Found[] main = new Fields.Found[3];
        private List<Fields.Found> promptExtra = List.of();
        private List<Fields.Found> promptDetail = List.of();
        private List<Fields.Found> completionExtra = List.of();
        private List<Fields.Found> completionDetail = List.of();
        private List<Fields.Found> unplaced = List.of();
        private List<String> disagreeing = List.of();
        private final boolean[] explicit = new boolean[3];
        private final String[] loggedNull = new String[3];
        /** A count this object leaves out, found in another object of the event; null when there is none. */
        private Fields.Found elsewhere;

        Usage(JsonNode object, JsonNode parent, String where, boolean shared) {
            this.object = object;
            this.parent = parent;
            this.where = where;
            this.shared = shared;
        }

        /** The object that holds the counts. */
        JsonNode object() {
            return object;
        }

        /** The object that holds the counts' object, or null when that is the event's top or an envelope. */
        JsonNode parent() {
            return parent;
        }

        /** Whether the object is the event's top or an envelope, rather than usage data of its own. */
        boolean shared() {
            return shared;
        }

        void disagree(String key, JsonNode first, JsonNode second) {
            disagreeing = with(disagreeing, name(key) + "=" + (first == null ? "?" : text(first)) + " and "
                    + name(key) + "=" + text(second) + " (two spellings of one key)");
        }

        /** A count logged as null: unknown, which a row would store as 0. */
        void loggedNull(int column, String key) {
            loggedNull[column] = name(key);
        }

        void explicit(int column, Fields.Found found) {
            main[column] = found;
            explicit[column] = true;
        }

        void place(String key, JsonNode value, Role role) {
            // The name first: most members of an event's top are texts that are no number, and need not be read as one.
            if (role == Role.NONE && !((!shared || key.contains("token") || key.endsWith("count")) && isNumber(value))) {
                return;
            }
            Fields.Found found = new Fields.Found(name(key), value);
            switch (role) {
                case PROMPT, COMPLETION, TOTAL -> {
                    int column = role.ordinal();
                    if (explicit[column] && main[column].path() != null && main[column].path().addends().isEmpty()
                            && main[column].value() == value) {
                        return;
                    }
                    if (main[column] == null) {
                        main[column] = found;
                    } else if (!explicit[column] && !sameNumber(main[column].value(), value)) {
                        disagreeing = with(disagreeing, main[column].name() + "=" + text(main[column].value())
                                + " and " + found.name() + "=" + text(value));
                    }
                }
                case PROMPT_EXTRA -> promptExtra = with(promptExtra, found);
                case PROMPT_DETAIL -> promptDetail = with(promptDetail, found);
                case COMPLETION_EXTRA -> completionExtra = with(completionExtra, found);
                case COMPLETION_DETAIL -> completionDetail = with(completionDetail, found);
                case NONE -> unplaced = with(unplaced, found);
            }
        }

        private String name(String key) {
            return shared ? key : where + "." + key;
        }

        boolean hasCount() {
            return hasMainCount() || !promptExtra.isEmpty() || !completionExtra.isEmpty();
        }

        boolean hasMainCount() {
            return main[0] != null || main[1] != null || main[2] != null;
        }

        /** Whether a prompt or completion count is not here, and may be in another object. */
        boolean wantsMore() {
            return main[0] == null || main[1] == null;
        }

        /** Notes a count this object leaves out that {@code later} holds. */
        void splitWith(Usage later) {
            for (int c = 0; c < 2; c++) {
                if (main[c] == null && later.main[c] != null && elsewhere == null) {
                    elsewhere = later.main[c];
                }
            }
        }

        Counts counts(CountLimits limits) {
            if (!disagreeing.isEmpty()) {
                throw new RejectedLineException("the usage data names one count twice with two values ("
                        + String.join("; ", disagreeing) + "); which one was billed is unknowable");
            }
            if (elsewhere != null) {
                throw new RejectedLineException("the counts are split across objects: " + placedNumbers() + " in "
                        + where + ", and " + elsewhere.name() + "=" + text(elsewhere.value()) + " in another; whether"
                        + " they belong to one call is unknowable. Name the counts with --fields (explain shows the"
                        + " line)");
            }
            for (int c = 0; c < 2; c++) {
                if (main[c] == null && loggedNull[c] != null) {
                    throw new RejectedLineException(loggedNull[c] + " is null: the count is unknown, and a row would"
                            + " store a guess for it");
                }
            }
            long prompt = count(main[0], limits.prompt());
            long completion = count(main[1], limits.completion());
            long promptExtras = sum(promptExtra, limits.prompt());
            long promptDetails = sum(promptDetail, limits.prompt());
            long completionExtras = sum(completionExtra, limits.completion());
            long completionDetails = sum(completionDetail, limits.completion());
            boolean whole = main[0] != null && main[1] != null;
            if (main[2] == null) {
                List<Fields.Found> unread = whole ? List.of() : unread();
                if (!unread.isEmpty()) {
                    throw new RejectedLineException(missing() + " is not in the usage data, which also holds "
                            + numbers(unread) + " that no rule places; a row would store 0 for what was not read."
                            + " Name it with --fields (explain shows the line)");
                }
                if (!promptExtra.isEmpty() && main[0] != null && !main[0].name().startsWith(inputName())) {
                    // Anthropic's input_tokens leave the cache out; a prompt_tokens beside cache counts may hold it.
                    throw new RejectedLineException(main[0].name() + "=" + text(main[0].value()) + " beside "
                            + numbers(promptExtra) + " and no total: whether the prompt count holds those already is"
                            + " unknowable (Anthropic's input_tokens do not, OpenAI's prompt_tokens do). Log the total,"
                            + " or name the counts with --fields");
                }
                long p = add("prompt_tokens", prompt, promptExtras, limits.prompt());
                long c = add("completion_tokens", completion, completionExtras, limits.completion());
                return counts(p, c, add("total_tokens", p, c, limits.total()), limits);
            }
            long total = TokenCounts.parse(main[2], limits.total());
            long[][] readings = {
                {add("prompt_tokens", prompt, promptExtras, limits.prompt()),
                    add("completion_tokens", completion, completionExtras, limits.completion())},
                {prompt, completion},
                {add("prompt_tokens", prompt, promptExtras + promptDetails, limits.prompt()),
                    add("completion_tokens", completion, completionExtras + completionDetails, limits.completion())}};
            for (long[] reading : readings) {
                if (reading[0] + reading[1] == total) {
                    return counts(reading[0], reading[1], total, limits);
                }
            }
            throw new RejectedLineException("the usage data does not add up: " + placedNumbers() + " do not"
                    + " make total " + text(main[2].value()) + (whole ? "" : ", and " + missing() + " is not in it")
                    + (unplaced.isEmpty() ? "" : "; it also holds " + numbers(unplaced) + " that no rule places")
                    + "; which count is wrong is unknowable, and a row would store a guess. Name the counts with"
                    + " --fields (explain shows the line)");
        }

        private Counts counts(long prompt, long completion, long total, CountLimits limits) {
            return new Counts(fit("prompt_tokens", prompt, limits.prompt()),
                    fit("completion_tokens", completion, limits.completion()),
                    fit("total_tokens", total, limits.total()), this);
        }

        /** Which member gave each count, as {@code explain} prints it. */
        String source() {
            StringBuilder text = new StringBuilder("counts from ").append(where).append(':');
            for (int c = 0; c < 3; c++) {
                text.append(' ').append(COUNTS.get(c)).append(" ← ").append(main[c] == null ? "(absent)"
                        : main[c].name() + "=" + text(main[c].value()));
            }
            if (!promptExtra.isEmpty() || !completionExtra.isEmpty()) {
                text.append("; parts added where the total allows: ").append(numbers(promptExtra));
                text.append(promptExtra.isEmpty() || completionExtra.isEmpty() ? "" : ", ");
                text.append(numbers(completionExtra));
            }
            if (!promptDetail.isEmpty() || !completionDetail.isEmpty()) {
                text.append("; parts inside the counts: ").append(numbers(promptDetail));
                text.append(promptDetail.isEmpty() || completionDetail.isEmpty() ? "" : ", ");
                text.append(numbers(completionDetail));
            }
            if (!unplaced.isEmpty()) {
                text.append("; not placed: ").append(numbers(unplaced));
            }
            return text.toString();
        }

        /**
         * The numbers no rule placed: this object's own, and those named like tokens or counts in the objects and
         * arrays inside it ({@code results[0].tokenCount}), which a count left out may be; not in a breakdown of a
         * count ({@code promptTokensDetails}, {@code prompt_tokens_details}).
         */
        private List<Fields.Found> unread() {
            List<Fields.Found> unread = new ArrayList<>(unplaced);
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                if (member.getValue().isContainer() && !member.getKey().contains("details")) {
                    nestedCounts(member.getValue(), name(member.getKey()), unread, 0);
                }
            }
            return unread;
        }

        private static void nestedCounts(JsonNode node, String path, List<Fields.Found> into, int depth) {
            if (depth > 3) {
                return;
            }
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    nestedCounts(node.get(i), path + "[" + i + "]", into, depth + 1);
                }
                return;
            }
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String key = member.getKey();
                JsonNode value = member.getValue();
                if (value.isContainer()) {
                    if (!key.contains("details")) {
                        nestedCounts(value, path + "." + key, into, depth + 1);
                    }
                } else if (isNumber(value) && (key.contains("token") || key.endsWith("count"))) {
                    into.add(new Fields.Found(path + "." + key, value));
                }
            }
        }

        /** How a prompt count named by the stem {@code input} starts, as this object names it. */
        private String inputName() {
            return shared ? "input" : where + ".input";
        }

        private String missing() {
            return main[0] == null && main[1] == null ? "a prompt or completion count"
                    : main[0] == null ? "a prompt count" : "a completion count";
        }

        private String placedNumbers() {
            List<Fields.Found> placed = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                if (main[c] != null) {
                    placed.add(main[c]);
                }
            }
            placed.addAll(promptExtra);
            placed.addAll(promptDetail);
            placed.addAll(completionExtra);
            placed.addAll(completionDetail);
            return placed.isEmpty() ? "no prompt or completion count" : numbers(placed);
        }

        private static long sum(List<Fields.Found> parts, CountLimits.Limit limit) {
            long sum = 0;
            for (int i = 0; i < parts.size(); i++) {
                sum = add(parts.get(i).name(), sum, TokenCounts.parse(parts.get(i), limit), limit);
            }
            return sum;
        }
    }

    /** The list with one more element: most lists here stay empty, and an empty one costs nothing. */
    private static <T> List<T> with(List<T> list, T element) {
        List<T> longer = list.isEmpty() ? new ArrayList<>(2) : list;
        longer.add(element);
        return longer;
    }

    private static String numbers(List<Fields.Found> found) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < found.size() && i < 8; i++) {
            text.append(i == 0 ? "" : ", ").append(found.get(i).name()).append('=').append(text(found.get(i).value()));
        }
        return found.size() > 8 ? text + ", …" : text.toString();
    }

    private static String text(JsonNode value) {
        String text = value.isString() ? value.stringValue() : value.toString();
        return text.length() > 24 ? text.substring(0, 21) + "..." : text;
    }

    private static boolean isNumber(JsonNode value) {
        return value.isNumber() || value.isString() && Numbers.parseDecimal(value.stringValue()) != null;
    }

    private static boolean sameNumber(JsonNode a, JsonNode b) {
        BigDecimal x = a.isNumber() ? a.decimalValue() : a.isString() ? Numbers.parseDecimal(a.stringValue()) : null;
        BigDecimal y = b.isNumber() ? b.decimalValue() : b.isString() ? Numbers.parseDecimal(b.stringValue()) : null;
        return x != null && y != null ? x.compareTo(y) == 0 : a.equals(b);
    }

    /** The count, plus the fields beside it its path adds (absent or null count as 0); 0 when not found. */
    private static long count(Fields.Found found, CountLimits.Limit limit) {
        if (found == null) {
            return 0;
        }
        long value = parse(found, limit);
        if (found.path() != null) {
            for (String addend : found.path().addends()) {
                JsonNode extra = found.holder().get(addend);
                if (extra != null && !extra.isNull()) {
                    value = add(found.name(), value, parse(new Fields.Found(addend, extra), limit), limit);
                }
            }
        }
        return value;
    }

    /** A whole number from 0 to the column's limit, given as a JSON number or a numeric string. */
    static long parse(Fields.Found found, CountLimits.Limit limit) {
        JsonNode value = found.value();
        if (value.isInt() && value.intValue() >= 0 && value.intValue() <= limit.max()) {
            // A JSON integer within int range is whole and in range as it is; no decimal needed (most counts).
            return value.intValue();
        }
        BigDecimal number = Numbers.decimal(found.name(), value);
        if (number == null) {
            throw new RejectedLineException(found.name() + " is " + Numbers.describe(value)
                    + ", not a token count; token counts must be whole numbers from 0 to " + limit.max());
        }
        if (number.signum() < 0 || number.stripTrailingZeros().scale() > 0
                || number.compareTo(BigDecimal.valueOf(limit.max())) > 0) {
            throw new RejectedLineException(found.name() + " is " + number.toPlainString()
                    + "; token counts must be whole numbers from 0 to " + limit.max());
        }
        return number.longValueExact();
    }

    /** Two counts of at most BIGINT's limit each, whose sum may pass it. */
    private static long add(String column, long a, long b, CountLimits.Limit limit) {
        if (a > Long.MAX_VALUE - b) {
            throw new RejectedLineException(column + " adds up to more than " + Long.MAX_VALUE
                    + ", beyond the table's " + limit.type() + " limit of " + limit.max());
        }
        return a + b;
    }

    private static long fit(String column, long value, CountLimits.Limit limit) {
        if (value > limit.max()) {
            throw new RejectedLineException(column + " adds up to " + value + ", beyond the table's "
                    + limit.type() + " limit of " + limit.max());
        }
        return value;
    }
}
