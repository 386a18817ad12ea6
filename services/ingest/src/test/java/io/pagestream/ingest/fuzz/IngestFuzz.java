package io.pagestream.ingest.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The long fuzz job against a running ingest ({@code ./pagestream up}, or any instance): mutated documents and forms
 * for {@code --minutes}, then cases per second, the status histogram, every 5xx that is not the documented 503 with
 * Retry-After (each with the seed that replays it), and whether the service is still ready and takes a good
 * document. Prints figures; exits 1 when a case broke the rule or the service did not survive.
 *
 * <pre>
 *   services/ingest/fuzz.sh [--url http://127.0.0.1:8080] [--health http://127.0.0.1:9000/q/health/ready]
 *                           [--minutes 5] [--seed S] [--threads 2] [--replay CASE_SEED]
 * </pre>
 */
public final class IngestFuzz {
    private IngestFuzz() {}

    public static void main(String[] args) throws Exception {
        URI url = URI.create("http://127.0.0.1:8080");
        URI health = null;
        double minutes = 5;
        long seed = ThreadLocalRandom.current().nextLong();
        int threads = 2;
        Long replay = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> url = URI.create(value);
                case "--health" -> health = URI.create(value);
                case "--minutes" -> minutes = Double.parseDouble(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--replay" -> replay = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        RawHttp http = new RawHttp(url.getHost(), url.getPort(), 120_000);
        FuzzRun run = new FuzzRun(http, seed);
        if (replay != null) {
            System.out.println("case seed " + replay + ": " + run.replay(replay));
            return;
        }
        System.out.printf("fuzzing %s for %.1f min on %d threads, seed %d%n", url, minutes, threads, seed);
        long start = System.nanoTime();
        run.run(Long.MAX_VALUE, Duration.ofMillis((long) (minutes * 60_000)), threads);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "%d cases in %.0f s = %.1f cases/s (seed %d)%n", run.sent(), seconds, run.sent() / seconds, seed);
        run.histogram().forEach((status, n) -> System.out.printf("  %-32s %7d%n", status, n));
        System.out.println(
                run.failures().size() + " cases broke the rule (5xx other than 503 + Retry-After, or no answer)");
        run.failures().forEach(f -> System.out.println("  " + f));
        boolean ready = health == null || ready(health);
        FuzzCases.FuzzCase good = new FuzzCases().good();
        RawHttp.Answer after = http.post("/v1/documents", good.contentType(), good.body());
        System.out.println(
                "afterwards: " + (health == null ? "" : "ready " + ready + ", ") + "a good document " + after.status());
        if (!run.failures().isEmpty() || !ready || after.status() != 202) {
            System.exit(1);
        }
    }

    private static boolean ready(URI health) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                                    HttpRequest.newBuilder(health)
                                            .timeout(Duration.ofSeconds(30))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        }
    }
}
