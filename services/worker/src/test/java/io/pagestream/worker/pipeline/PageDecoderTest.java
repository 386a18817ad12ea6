package io.pagestream.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pagestream.schema.PageImage;
import io.pagestream.topics.Topics;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.PageFailedException;
import io.pagestream.worker.output.Stage;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageDecoderTest {
    /** Prompts are built from the record alone: no deserializer or engine is reached. */
    private final PageDecoder decoder = new PageDecoder(
            Topics.DOCUMENTS_PAGES.name(),
            null,
            null,
            Prompts.of(Configs.worker(Map.of()).prompts()),
            1_000_000);

    @Test
    void aPageWithoutAnImageSizeIsRefusedBeforeAnyImageWork() throws PageFailedException {
        PageImage page = Pages.page("doc", 0, 1, Pages.corrupt(), List.of("Total?"));
        assertEquals(2, decoder.prompts(page).size());
        page.setHeight(0);
        PageFailedException e = assertThrows(PageFailedException.class, () -> decoder.prompts(page));
        assertEquals(Failure.CORRUPT_IMAGE, e.failure().reasonCode());
        assertEquals(Stage.DECODE, e.failure().stage());
        assertEquals(
                "the record gives the image size as 448×0 pixels", e.failure().message());
    }
}
