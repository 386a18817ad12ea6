package io.pagestream.structure;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Parser throughput on a large page, as a program, not a timed test:
 * {@code java -cp target/classes:target/test-classes io.pagestream.structure.PageOutputParserBench [seconds]}.
 * Builds a ~50 KB markdown page (headings, paragraphs with grounded phrases, pipe and HTML tables, lists, formulas)
 * and a layout page of several hundred grounded regions, parses each repeatedly for the given time per mode after a
 * warm-up, and prints pages/s and MB/s (of wall and of CPU time), next to a floor measured in the same run:
 * splitting the same text into lines and reading every character once.
 */
public final class PageOutputParserBench {
    private static final PageGeometry A4 = new PageGeometry(950, 1344, 595.28, 841.89, 1344 / 841.89);

    private PageOutputParserBench() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String markdown = markdownPage(50_000, new Random(1));
        String layout = layoutPage(50_000, new Random(2));
        System.out.printf(
                "java %s, %d cores; markdown page %,d chars (%,d bytes), layout page %,d chars%n",
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                markdown.length(),
                markdown.getBytes(StandardCharsets.UTF_8).length,
                layout.length());
        ParsedPage sample = PageOutputParser.parse(markdown, A4, Mode.MARKDOWN, 0.9);
        ParsedPage layoutSample = PageOutputParser.parse(layout, A4, Mode.LAYOUT, 0.9);
        System.out.printf(
                "markdown page: %d blocks, %d tables, flags %s; layout page: %d blocks, flags %s%n",
                sample.blocks().size(),
                sample.tables().size(),
                sample.flags(),
                layoutSample.blocks().size(),
                layoutSample.flags());
        double floor = run("floor (lines + one scan)", markdown, seconds, () -> floor(markdown));
        double md = run("MARKDOWN", markdown, seconds, () -> PageOutputParser.parse(markdown, A4, Mode.MARKDOWN, 0.9));
        run("LAYOUT", layout, seconds, () -> PageOutputParser.parse(layout, A4, Mode.LAYOUT, 0.9));
        run("TEXT", markdown, seconds, () -> PageOutputParser.parse(markdown, A4, Mode.TEXT, 0.9));
        System.out.printf("MARKDOWN parse costs %.1f x the floor (CPU time)%n", floor / md);
    }

    /**
     * Runs the task for a warm-up and then for the given time; prints pages per second of wall time and of this
     * thread's CPU time (on a shared machine the second is the parser's own speed), returns the latter.
     */
    private static double run(String name, String page, double seconds, Runnable task) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warmEnd) {
            task.run();
        }
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long end = start + (long) (seconds * 1e9);
        int pages = 0;
        long now;
        do {
            task.run();
            pages++;
            now = System.nanoTime();
        } while (now < end);
        double wall = pages / ((now - start) / 1e9);
        double cpu = pages / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        double bytes = page.getBytes(StandardCharsets.UTF_8).length / 1e6;
        System.out.printf(
                "%-26s %,9.0f pages/s %7.1f MB/s wall | %,9.0f pages/s %7.1f MB/s CPU  (%,d pages)%n",
                name, wall, wall * bytes, cpu, cpu * bytes, pages);
        return cpu;
    }

    private static int sink;

    private static void floor(String text) {
        int n = 0;
        for (String line : text.split("\n", -1)) {
            for (int i = 0; i < line.length(); i++) {
                n += line.charAt(i);
            }
        }
        sink += n;
    }

    static String markdownPage(int size, Random random) {
        StringBuilder s = new StringBuilder("# Annual Report 2024\n\n");
        int section = 0;
        while (s.length() < size) {
            s.append("## Section ").append(++section).append("\n\n");
            for (int p = 0; p < 3; p++) {
                s.append(sentence(random))
                        .append(" The <ref>")
                        .append(word(random))
                        .append(" figure</ref><box>[[")
                        .append(box(random))
                        .append("]]</box> rose by ")
                        .append(random.nextInt(40))
                        .append("%. ")
                        .append(sentence(random))
                        .append('\n')
                        .append(sentence(random))
                        .append("\n\n");
            }
            s.append("| Region | Q1 | Q2 | Q3 |\n|---|---:|---:|---:|\n");
            for (int r = 0; r < 8; r++) {
                s.append("| ")
                        .append(word(random))
                        .append(" | ")
                        .append(random.nextInt(999))
                        .append(" | ")
                        .append(random.nextInt(999))
                        .append(" | ")
                        .append(random.nextInt(999))
                        .append(" |\n");
            }
            s.append("\n<table><tr><th rowspan=\"2\">Site</th><th colspan=\"2\">Visits</th></tr>")
                    .append("<tr><th>2023</th><th>2024</th></tr>");
            for (int r = 0; r < 4; r++) {
                s.append("<tr><td>")
                        .append(word(random))
                        .append("</td><td>")
                        .append(random.nextInt(9999))
                        .append("</td><td>")
                        .append(random.nextInt(9999))
                        .append("</td></tr>");
            }
            s.append("</table>\n\n- ")
                    .append(sentence(random))
                    .append("\n- ")
                    .append(sentence(random))
                    .append("\n  1. ")
                    .append(sentence(random))
                    .append("\n\n$$\n\\sum_{i=1}^{n} x_i = ")
                    .append(random.nextInt(100))
                    .append("\n$$\n\n");
        }
        return s.append("- 12 -\n").toString();
    }

    static String layoutPage(int size, Random random) {
        StringBuilder s = new StringBuilder();
        while (s.length() < size) {
            int x = random.nextBoolean() ? 60 : 520;
            int y = random.nextInt(900);
            s.append("<ref>")
                    .append(sentence(random))
                    .append("</ref><box>[[")
                    .append(x)
                    .append(", ")
                    .append(y)
                    .append(", ")
                    .append(x + 420)
                    .append(", ")
                    .append(y + 1 + random.nextInt(90))
                    .append("]]</box>\n");
        }
        return s.toString();
    }

    private static String box(Random random) {
        int x = random.nextInt(800);
        int y = random.nextInt(900);
        return x + ", " + y + ", " + (x + 50 + random.nextInt(150)) + ", " + (y + 10 + random.nextInt(80));
    }

    private static final String[] WORDS = {
        "revenue",
        "growth",
        "margin",
        "Zürich",
        "export",
        "customers",
        "東京",
        "quarter",
        "forecast",
        "pipeline",
        "Ωμέγα",
        "supply",
        "demand",
        "capital",
        "reserve",
        "dividend"
    };

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static String sentence(Random random) {
        String first = word(random);
        StringBuilder s = new StringBuilder(Character.toUpperCase(first.charAt(0)) + first.substring(1));
        int words = 6 + random.nextInt(10);
        for (int i = 0; i < words; i++) {
            s.append(' ').append(word(random));
        }
        return s.append('.').toString();
    }
}
