package io.usagebackfill.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Standard output or error as {@code --log-format json} wants it: every line one JSON object. A line that already is
 * one (the progress lines, the summary) passes as it is; any other (a notice, an error, a library's warning) becomes
 * {@code {"time":…,"stream":"stderr","message":…}}. Text mode passes every byte through. Switched once per process,
 * when the command knows its format; not thread-safe on its own, used under its {@code PrintStream}'s lock.
 */
public final class JsonLines extends OutputStream {

    private static volatile boolean json;

    private final OutputStream out;
    private final String stream;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    public JsonLines(OutputStream out, String stream) {
        this.out = out;
        this.stream = stream;
    }

    /** Makes every line of this process's standard output and error a JSON object, from now on. */
    public static void useJson() {
        json = true;
    }

    @Override
    public void write(int b) throws IOException {
        if (!json) {
            out.write(b);
        } else if (b == '\n') {
            emit();
        } else {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (!json) {
            out.write(bytes, offset, length);
            return;
        }
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public void flush() throws IOException {
        if (json && line.size() > 0) {
            emit();
        }
        out.flush();
    }

    private void emit() throws IOException {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        String stripped = text.strip();
        if (stripped.startsWith("{") && stripped.endsWith("}")) {
            out.write((stripped + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (stripped.isEmpty()) {
            return;
        }
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("time", Instant.now().toString());
        object.put("stream", stream);
        object.put("message", text);
        out.write((Mapper.JSON.writeValueAsString(object) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Made on the first JSON line, not as every process starts: text mode, the default, never needs it. */
    private static final class Mapper {
        static final JsonMapper JSON = JsonMapper.builder().build();
    }
}
