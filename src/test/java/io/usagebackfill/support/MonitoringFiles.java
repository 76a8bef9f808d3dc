package io.usagebackfill.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What an operator installs beside the tool, as shipped in jobs/: the Grafana dashboard and the alert rules. */
public final class MonitoringFiles {

    public static final Path DASHBOARD = Path.of("jobs", "usage-backfill.grafana.json");
    public static final Path RULES = Path.of("jobs", "usage-backfill.rules.yml");

    /** The tool's own metrics and Spring Batch's, as PromQL names them. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:usage_backfill|spring_batch)_[a-z_]+)\\b(?!\")");

    private MonitoringFiles() {
    }

    public static JsonNode dashboard() {
        return JsonMapper.builder().build().readTree(DASHBOARD.toFile());
    }

    /** Every query of the dashboard's panels. */
    public static List<String> dashboardQueries() {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.get("expr").asString());
            }
        }
        return queries;
    }

    /** Every alert's expression. */
    @SuppressWarnings("unchecked")
    public static List<String> ruleExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(RULES)) {
            Map<String, Object> rules = new Yaml().load(in);
            for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    expressions.add((String) rule.get("expr"));
                }
            }
        }
        return expressions;
    }

    /**
     * The metrics {@code queries} name, with a timer's or summary's own suffix taken off ({@code _sum},
     * {@code _count}, {@code _max} stay, being the series a push holds); label names (followed by {@code =} or
     * {@code !~}) are not metrics.
     */
    public static Set<String> metricNames(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                String rest = query.substring(m.end()).stripLeading();
                if (!rest.startsWith("=") && !rest.startsWith("!") && !rest.startsWith(")") && !rest.startsWith(",")) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
