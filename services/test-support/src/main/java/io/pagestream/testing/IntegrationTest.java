package io.pagestream.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that starts a Kafka broker, a schema registry or a child JVM (a {@code @QuarkusTest} with the
 * pipeline stack counts too). {@code ./pagestream test --fast} leaves these out; {@code ./pagestream test} runs them.
 * {@code IntegrationTagsTest} fails the build when such a class lacks it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {
    /** The JUnit tag, as the build's {@code excludedGroups} names it. */
    String TAG = "integration";
}
