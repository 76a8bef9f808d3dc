package io.usagebackfill.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a real Pushgateway holds, read back from its {@code /metrics} as Prometheus would scrape it. */
public final class Pushgateway {

    /** The environment variable naming the gateway the tests push to; .ci/run starts one and sets it. */
    public static final String ENVIRONMENT = "TEST_PUSHGATEWAY_URL";

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One series' value, with all its labels (the grouping key's too). */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String url;

    public Pushgateway(String url) {
        this.url = url.replaceAll("/+$", "");
    }

    public String url() {
        return url;
    }

    /** Every sample the gateway holds in the group {@code job="usage-backfill", run=run}. */
    public List<Sample> group(String run) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
        List<Sample> samples = new ArrayList<>();
        for (String line : response.body().lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
            if ("usage-backfill".equals(labels.get("job")) && run.equals(labels.get("run"))) {
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
        }
        return samples;
    }

    /** Forgets the group {@code job="usage-backfill", run=run}, as an operator would with the gateway's DELETE. */
    public void delete(String run) throws IOException, InterruptedException {
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(HttpRequest.newBuilder(
                URI.create(url + "/metrics/job/usage-backfill/run/" + run)).timeout(Duration.ofSeconds(10)).DELETE()
                .build(), HttpResponse.BodyHandlers.discarding());
    }

    /** The value of the one series named {@code name} in {@code samples}. */
    public static Optional<Double> value(List<Sample> samples, String name) {
        List<Sample> named = samples.stream().filter(s -> s.name().equals(name)).toList();
        if (named.size() > 1) {
            throw new AssertionError(name + " has " + named.size() + " series: " + named);
        }
        return named.stream().findFirst().map(Sample::value);
    }
}
