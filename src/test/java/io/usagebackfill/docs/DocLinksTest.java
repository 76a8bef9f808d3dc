package io.usagebackfill.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and of the pages under {@code docs/} leads somewhere: to a file that exists, and
 * for {@code page.md#anchor}, to a heading of that page as GitHub names it. Links into the web are not followed.
 */
class DocLinksTest {

    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern ASCIIDOC_LINK = Pattern.compile("\\b(?:xref|link):([^\\[\\s]+)\\[");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern CODE_BLOCK = Pattern.compile("(?ms)^```.*?^```");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsLeadsToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : relativeLinks(page)) {
                String problem = problem(page, target);
                if (problem != null) {
                    broken.add(page + ": " + target + " (" + problem + ")");
                }
            }
        }

        assertThat(broken).as("relative links that lead nowhere").isEmpty();
    }

    @Test
    void theReadmeLinksEveryPageOfTheDocs() throws IOException {
        Set<String> linked = new LinkedHashSet<>();
        for (String target : relativeLinks(Path.of("README.md"))) {
            linked.add(Path.of(target.replaceFirst("#.*", "")).normalize().toString());
        }

        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            assertThat(docs.filter(file -> file.toString().endsWith(".md")).map(Path::toString))
                    .as("pages under docs/").isNotEmpty().allSatisfy(page -> assertThat(linked).contains(page));
        }
        assertThat(linked).contains("BENCHMARKS.md", "docs/commands/usage-backfill.adoc");
    }

    @Test
    void headingsAreNamedAsGitHubNamesThem() {
        Map<String, Integer> seen = new HashMap<>();

        assertThat(anchor("The window: `--since`, `--until` and the live cut-over", seen))
                .isEqualTo("the-window---since---until-and-the-live-cut-over");
        assertThat(anchor("7. Your own shape: `explain`, then `--fields`", seen))
                .isEqualTo("7-your-own-shape-explain-then---fields");
        assertThat(anchor("Step 1: a local partitioned step (`--threads N`) — built", seen))
                .isEqualTo("step-1-a-local-partitioned-step---threads-n--built");
        assertThat(anchor("token_usage, [linked](x.md)", seen)).isEqualTo("token_usage-linked");
        assertThat(anchor("Install", seen)).isEqualTo("install");
        assertThat(anchor("Install", seen)).isEqualTo("install-1");
    }

    /** README.md, BENCHMARKS.md and every Markdown or AsciiDoc page under docs/, generated ones included. */
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("BENCHMARKS.md")));
        try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md") || file.toString().endsWith(".adoc")).sorted()
                    .forEach(pages::add);
        }
        return pages;
    }

    /** The link targets of a page that are not web addresses, outside code blocks and code spans. */
    private static List<String> relativeLinks(Path page) throws IOException {
        Pattern link = page.toString().endsWith(".adoc") ? ASCIIDOC_LINK : MARKDOWN_LINK;
        // A link's text may run over a line end, so the page is searched whole.
        String text = CODE_BLOCK.matcher(Files.readString(page)).replaceAll("").replaceAll("`[^`]*`", "");
        List<String> targets = new ArrayList<>();
        Matcher matcher = link.matcher(text);
        while (matcher.find()) {
            String target = matcher.group(1);
            if (!SCHEME.matcher(target).find()) {
                targets.add(target);
            }
        }
        return targets;
    }

    /** Why a link from the page does not lead where it says, or null when it does. */
    private static String problem(Path page, String target) throws IOException {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file: " + resolved;
        }
        if (hash < 0 || !resolved.toString().endsWith(".md")) {
            return null;
        }
        String anchor = target.substring(hash + 1);
        return anchors(resolved).contains(anchor) ? null : "no heading of " + resolved + " is #" + anchor;
    }

    /** The anchors GitHub gives the headings of a Markdown page. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) {
                code = !code;
            }
            Matcher heading = HEADING.matcher(line);
            if (!code && heading.matches()) {
                anchors.add(anchor(heading.group(1), seen));
            }
        }
        return anchors;
    }

    /**
     * GitHub's anchor for a heading: its text as shown (a link's text, no markup), in lower case, without punctuation
     * other than hyphens and underscores, spaces as hyphens; a repeated one gets -1, -2, ….
     */
    private static String anchor(String heading, Map<String, Integer> seen) {
        String shown = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1");
        String slug = shown.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M}\\p{Pc}\\- ]", "")
                .replace(' ', '-');
        int repeat = seen.merge(slug, 1, Integer::sum) - 1;
        return repeat == 0 ? slug : slug + "-" + repeat;
    }
}
