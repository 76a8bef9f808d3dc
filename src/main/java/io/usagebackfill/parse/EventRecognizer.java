package io.usagebackfill.parse;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import io.usagebackfill.catalog.FieldCatalog;

/**
 * Recognises {@code token_usage} events in log lines of every supported shape, detected per line: container
 * wrappers (Docker json-file, Kubernetes CRI) are removed first, then the app's line is parsed as JSON, logfmt or
 * text prefix + JSON. Thread-safe.
 */
public final class EventRecognizer {

    private final DockerJsonWrapper docker;
    private final CriWrapper cri = new CriWrapper();
    private final List<LineShape> shapes;

    public EventRecognizer() {
        this(FieldCatalog.builtIn(), ZoneOffset.UTC);
    }

    /**
     * @param catalog where the event's name is looked for
     * @param logZone the zone of a line's prefix time written without one
     */
    public EventRecognizer(FieldCatalog catalog, ZoneId logZone) {
        JsonPayloads json = new JsonPayloads();
        JsonPayloads events = new JsonPayloads(catalog);
        EventName name = new EventName(catalog);
        this.docker = new DockerJsonWrapper(json);
        this.shapes = List.of(new OtlpShape(json, name), new JsonLineShape(events, name), new LogfmtShape(name),
                new TextPrefixShape(events, name, logZone));
    }

    /**
     * @return the event, or null when the line only mentions {@code token_usage}
     * @throws io.usagebackfill.catalog.RejectedLineException when the line is an event that cannot be read
     */
    public RecognizedEvent recognize(String line) {
        String text = (line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
        Instant wrapperTime = null;
        Unwrapped fromDocker = docker.accepts(text) ? docker.unwrap(text) : null;
        if (fromDocker != null) {
            text = fromDocker.line().strip();
            wrapperTime = fromDocker.time();
        } else {
            Unwrapped inner = cri.unwrap(text);
            if (inner != null) {
                text = inner.line().strip();
                wrapperTime = inner.time();
            }
        }
        for (LineShape shape : shapes) {
            if (shape.accepts(text)) {
                return shape.recognize(text, wrapperTime);
            }
        }
        return null;
    }
}
