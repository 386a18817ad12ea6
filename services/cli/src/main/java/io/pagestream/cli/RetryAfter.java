package io.pagestream.cli;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How long a 503 (or 409 in progress) asks a client to wait: the answer's Retry-After, for every client of ours. */
final class RetryAfter {
    private RetryAfter() {}

    /** Retry-After in seconds or as an HTTP date; {@code fallback} when absent or unreadable. */
    static Duration of(HttpHeaders headers, Duration fallback) {
        String value = headers.firstValue("Retry-After").map(String::strip).orElse("");
        if (value.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration until = Duration.between(
                    Instant.now(),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
