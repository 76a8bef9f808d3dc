package io.usagebackfill.parse;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.usagebackfill.catalog.CanonicalTree;
import io.usagebackfill.catalog.EventTime;
import io.usagebackfill.catalog.FieldCatalog;
import io.usagebackfill.catalog.Fields;
import io.usagebackfill.catalog.RejectedLineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Recognises {@code token_usage} events in log lines by rule, whatever wraps them. A container runtime's wrapper
 * (Docker json-file, Kubernetes CRI) is taken off first; then the line's shape is read (JSON object or array, logfmt,
 * a text prefix followed by JSON or pairs, an OpenTelemetry record, one member of a pretty-printed document), and the
 * event is looked for in what it carries: an object that the catalog's {@code event} fields name {@code token_usage}
 * is the event; otherwise each of its members is looked into, in order, to a bounded depth: a nested object (a
 * platform's {@code jsonPayload}), an array ({@code ["token_usage", {…}]}, a shipper's {@code [time, {record}]}), and
 * a text that holds a whole line of its own (journald's {@code MESSAGE}, a shipper's {@code log} or
 * {@code message}), read as a line again. The event's own time wins; the time of the nearest record around it serves
 * when it has none. Thread-safe.
 */
public final class EventRecognizer {

    /** Wrappers inside wrappers beyond this are not looked into: no platform nests that deep. */
    static final int MAX_DEPTH = 6;

    private final DockerJsonWrapper docker;
    private final CriWrapper cri = new CriWrapper();
    private final List<LineShape> shapes;
    private final EventName name;
    private final JsonPayloads events;
    private final Fields fields;
    private final ZoneId logZone;
    private final String timePaths;

    public EventRecognizer() {
        this(FieldCatalog.builtIn(), ZoneOffset.UTC);
    }

    /**
     * @param catalog where the event's name is looked for
     * @param logZone the zone of a line's prefix time written without one
     */
    public EventRecognizer(FieldCatalog catalog, ZoneId logZone) {
        JsonPayloads json = new JsonPayloads();
        this.events = new JsonPayloads(catalog);
        this.name = new EventName(catalog);
        this.docker = new DockerJsonWrapper(json);
        this.shapes = List.of(new OtlpShape(json), new JsonLineShape(events), new MemberLineShape(events),
                new LogfmtShape(name, events), new TextPrefixShape(events, logZone));
        this.fields = new Fields(catalog);
        this.logZone = logZone;
        this.timePaths = catalog.describe("time");
    }

    /**
     * @return the event, or null when the line only mentions {@code token_usage}
     * @throws RejectedLineException when the line is an event that cannot be read
     */
    public RecognizedEvent recognize(String line) {
        String text = (line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
        Unwrapped fromDocker = docker.accepts(text) ? docker.unwrap(text) : null;
        if (fromDocker != null) {
            return inLine(fromDocker.line().strip(), stamp(fromDocker), 0, List.of(DOCKER));
        }
        Unwrapped inner = cri.unwrap(text);
        if (inner != null) {
            return inLine(inner.line().strip(), stamp(inner), 0, List.of(CRI));
        }
        return inLine(text, null, 0, List.of());
    }

    private static final String DOCKER = "a Docker json-file wrapper (its log text is the app's line)";
    private static final String CRI = "a Kubernetes CRI prefix (time, stream, tag)";

    private static EventTime.Stamp stamp(Unwrapped unwrapped) {
        return unwrapped.time() == null ? null : new EventTime.Stamp(unwrapped.time(), false);
    }

    /**
     * The event a line holds.
     *
     * @param outerTime the time of the record around the line, or null; it is not in the line's text
     * @param path how the line was reached
     */
    private RecognizedEvent inLine(String text, EventTime.Stamp outerTime, int depth, List<String> path) {
        // Read without a terminal's colour codes; the identity stays the line as written, as ids were made before.
        String uncoloured = TerminalColours.strip(text);
        String readable = uncoloured == text ? text : uncoloured.strip();
        Matcher element = readable.startsWith("<") && depth < MAX_DEPTH ? XML_ELEMENT.matcher(readable) : null;
        if (element != null && element.matches()) {
            // java.util.logging's XMLFormatter: <message>token_usage …</message>, the record's other members on
            // other lines
            return inText(xmlText(element.group(3)), outerTime, depth + 1, with(path, "the text of an XML element"));
        }
        for (LineShape shape : shapes) {
            if (shape.accepts(readable)) {
                LineRecord record = shape.read(readable);
                if (record == null) {
                    continue;
                }
                if (record == LineRecord.NOTHING) {
                    return null;
                }
                List<String> reached = with(path, record.shape());
                Found where = record.prefixTime() != null ? new Found(text, record.prefixTime(), true, reached)
                        : new Found(text, outerTime, false, reached);
                if (record.named()) {
                    return event((ObjectNode) record.tree(), null, where);
                }
                return inTree(record.tree(), where, depth);
            }
        }
        return null;
    }

    private static final Pattern XML_ELEMENT = Pattern.compile("<([A-Za-z_][\\w:.-]*)(\\s[^>]*)?>(.*)</\\1>");

    private static String xmlText(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    /** A line inside a line (its callers have seen it name the event). */
    private RecognizedEvent inText(String text, EventTime.Stamp outerTime, int depth, List<String> path) {
        return inLine(text.strip(), outerTime, depth, path);
    }

    /** Where the tree being looked into came from: the line it is in, the time around it, the way there. */
    private record Found(String lineText, EventTime.Stamp time, boolean timeInText, List<String> path) {

        Found into(String how, EventTime.Stamp ownTime) {
            return new Found(lineText, ownTime != null ? ownTime : time, ownTime != null || timeInText,
                    with(path, how));
        }
    }

    private RecognizedEvent inTree(JsonNode tree, Found where, int depth) {
        if (tree instanceof ObjectNode object) {
            return inObject(object, where, depth);
        }
        return tree instanceof ArrayNode array ? inArray(array, null, where, depth) : null;
    }

    /** The members {@code "0"}, {@code "1"}, … of an object that has them, in order, as a list; else null. */
    private static ArrayNode numberedArguments(ObjectNode object) {
        if (!object.has("0")) {
            return null;
        }
        ArrayNode arguments = object.arrayNode();
        for (int i = 0; object.has(String.valueOf(i)); i++) {
            arguments.add(object.get(String.valueOf(i)));
        }
        return arguments;
    }

    private RecognizedEvent inObject(ObjectNode object, Found where, int depth) {
        String naming = name.naming(object);
        if (naming != null) {
            return event(object, naming, where);
        }
        if (depth >= MAX_DEPTH) {
            return null;
        }
        EventTime.Stamp ownTime = null;
        boolean timed = false;
        RecognizedEvent bare = null;
        // A warning or worse whose arguments name the event is about it, as a message in prose is.
        ArrayNode numbered = depth == 0 && !name.warnsOrWorse(object) ? numberedArguments(object) : null;
        if (numbered != null) {
            // tslog's {"0": "token_usage", "1": {…}, "_meta": {…}}: a logger's arguments as the record's numbered
            // members; the record itself is the event where the first one names it and holds no object
            ownTime = timeOf(object);
            timed = true;
            RecognizedEvent found = inArray(numbered, object, where.into("its numbered arguments", ownTime), depth + 1);
            if (found != null) {
                return found;
            }
        }
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            JsonNode value = member.getValue();
            if (!value.isContainer() && !(value.isString() && mayBeLine(value.stringValue()))) {
                continue;
            }
            if (!timed) {
                ownTime = timeOf(object);
                timed = true;
            }
            RecognizedEvent found;
            if (value.isString()) {
                EventTime.Stamp around = ownTime != null ? ownTime : where.time();
                found = inText(value.stringValue(), around, depth + 1,
                        with(where.path(), "the line in its " + member.getKey() + " text"));
            } else {
                found = inTree(value, where.into("its " + member.getKey() + " " + (value.isObject() ? "object"
                        : "array"), ownTime), depth + 1);
            }
            if (found != null && !found.bare()) {
                return found;
            }
            // A text that only names the event ("… - token_usage", loguru's rendered line) yields to a member that
            // holds the event's data (loguru's record).
            bare = bare == null ? found : bare;
        }
        return bare;
    }

    /**
     * An argument array ({@code ["token_usage", {…}]}: the name, then the event's object; or the name alone, when the
     * record {@code holder} whose numbered members the arguments are carries the data), a time and its record
     * ({@code [1762682400.123, {…}]}), or records one after another, of which at most one may be an event. A list
     * that is a member of a record and only names the word ({@code "args":["token_usage"]}, a query's parameters, a
     * job's arguments) does not make the record an event.
     *
     * @param holder the record whose numbered members the array's elements are, or null
     */
    private RecognizedEvent inArray(ArrayNode array, ObjectNode holder, Found where, int depth) {
        if (depth >= MAX_DEPTH) {
            return null;
        }
        String naming = null;
        ObjectNode argument = null;
        for (JsonNode element : array) {
            if (naming == null && element.isString() && EventName.names(element.stringValue())) {
                naming = element.stringValue();
            } else if (argument == null && element.isObject()) {
                argument = (ObjectNode) element;
            }
        }
        if (naming != null && argument != null) {
            return event(argument, naming, where.into("an argument list", null));
        }
        if (naming != null && holder != null && EventName.names(array.get(0).isString()
                ? array.get(0).stringValue() : "")) {
            return event(holder, naming, where.into("the record around an argument list that names the event", null));
        }
        if (array.size() == 2 && array.get(1).isObject() && (array.get(0).isNumber() || array.get(0).isString())) {
            EventTime.Stamp time = quietly(array.get(0));
            if (time != null) {
                return inObject((ObjectNode) array.get(1), where.into("a [time, record] pair", time), depth + 1);
            }
        }
        RecognizedEvent first = null;
        int events = 0;
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            RecognizedEvent found = element.isString() && mayBeLine(element.stringValue())
                    ? inText(element.stringValue(), where.time(), depth + 1, with(where.path(), "a line in an array"))
                    : element.isContainer() ? inTree(element, where.into("an array's record", null), depth + 1) : null;
            if (found != null) {
                events++;
                first = first == null ? found : first;
            }
        }
        if (events > 1) {
            throw new RejectedLineException("the line holds " + events + " token_usage events in one array; only a"
                    + " line's own records are split into lines (write one event a line)");
        }
        return first;
    }

    /** The event named in {@code object}, with the data its name carries after it ({@code "token_usage {…}"}). */
    private RecognizedEvent event(ObjectNode object, String naming, Found where) {
        if (naming != null && !EventName.names(naming) && EventName.leadsProse(naming)) {
            // logstash-logback-encoder's "token_usage for mistral-large : 2204 in / 1004 out" beside the call's
            // fields, or an info line about the event that carries its data: no rule tells them apart.
            throw new RejectedLineException("the message starts with token_usage and goes on in prose (\""
                    + (naming.length() > 80 ? naming.substring(0, 77) + "..." : naming) + "\"), and the record holds a"
                    + " model and token counts, so whether the line is the event or a line about it is unknowable;"
                    + " where it is the event, make its message token_usage alone in the rejects file and feed that"
                    + " back (each corrected line keeps its original's id)");
        }
        ObjectNode inMessage = null;
        String unread = null;
        String rest = naming == null ? "" : EventName.after(naming);
        if (rest.startsWith("{") || rest.startsWith("[") || rest.startsWith("#{") || rest.startsWith("%{")) {
            try {
                inMessage = events.parseEvent(rest);
                unread = inMessage == null ? "the message's data after token_usage is not a JSON object" : null;
            } catch (RuntimeException notJson) {
                ObjectNode map = MapLiteral.parse(rest);
                inMessage = map == null ? null : CanonicalTree.of(map);
                // SLF4J's pattern without its arguments ("token_usage {} {}") carries nothing, and is no error.
                unread = map != null || TextPrefixShape.isTemplate(rest) ? null : "the message's JSON after"
                        + " token_usage cannot be read as one object (" + notJson.getMessage() + ")";
            }
        } else if (!rest.isEmpty() && TextPrefixShape.logfmtAfterKeyword(EventName.TOKEN_USAGE + " " + rest) >= 0) {
            inMessage = CanonicalTree.of(LogfmtShape.parse(rest));
        }
        if (unread == null && inMessage == null && naming == null && object.isEmpty()) {
            unread = RecognizedEvent.ENDS_AT_THE_WORD;
        } else if (unread == null && inMessage == null && object.size() == 1 && naming != null
                && EventName.after(naming).isEmpty()) {
            // "  message: 'token_usage'," alone: one member of a record printed over several lines
            unread = "the line holds the event's name and nothing else" + TextPrefixShape.SPREAD_OVER_LINES;
        }
        EventTime.Stamp time = where.time();
        return new RecognizedEvent(object, time == null ? null : time.instant(), where.lineText(),
                time != null && time.zoneless(), where.timeInText(),
                inMessage == null || inMessage.isEmpty() ? null : inMessage, unread, where.path());
    }

    /** The object's own time, when it has a readable one: it times what is inside it. */
    private EventTime.Stamp timeOf(ObjectNode object) {
        // Its envelopes too (tslog's _meta.date), as the event's own time is looked for.
        Fields.Found time = fields.time(fields.scopes(object));
        if (time == null) {
            return null;
        }
        try {
            return EventTime.read(time, null, logZone, timePaths);
        } catch (RejectedLineException unreadable) {
            return null;
        }
    }

    private EventTime.Stamp quietly(JsonNode value) {
        try {
            return EventTime.read(new Fields.Found("time", value), null, logZone, timePaths);
        } catch (RejectedLineException notATime) {
            return null;
        }
    }

    /**
     * Whether a text may be a line of its own holding the event: it names the event somewhere. A text without the
     * word holds no event, however it is shaped.
     */
    static boolean mayBeLine(String text) {
        return containsWord(text);
    }

    private static boolean containsWord(String text) {
        int last = text.length() - EventName.TOKEN_USAGE.length();
        for (int i = 0; i <= last; i++) {
            if ((text.charAt(i) | 0x20) == 't' && text.regionMatches(true, i, EventName.TOKEN_USAGE, 0,
                    EventName.TOKEN_USAGE.length())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> with(List<String> path, String step) {
        if (path.isEmpty()) {
            return List.of(step);
        }
        List<String> longer = new ArrayList<>(path.size() + 1);
        longer.addAll(path);
        longer.add(step);
        return longer;
    }
}
