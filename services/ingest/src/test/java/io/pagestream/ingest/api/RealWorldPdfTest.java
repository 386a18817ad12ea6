package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.PageImage;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Documentation PDFs shipped by Debian (src/test/resources/real-world): ingest publishes exactly as many pages as
 * poppler's pdfinfo counts (recorded in page-counts.txt by record-page-counts.sh), each a readable image.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class RealWorldPdfTest {

    @Test
    void pageCountsMatchPdfinfo() throws Exception {
        List<String> lines = new String(TestFiles.resourceBytes("/real-world/page-counts.txt"), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank())
                .toList();
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            String[] f = line.split(" ");
            String file = f[0];
            int expected = Integer.parseInt(f[1]);
            Response r = Submit.file(file, TestFiles.resourceBytes("/real-world/" + file))
                    .post();
            assertEquals(202, r.statusCode(), file + ": " + r.asString());
            assertEquals(expected, r.jsonPath().getInt("pageCount"), file + " page count against pdfinfo");
            String id = r.jsonPath().getString("documentId");
            DocumentRequest request = TopicRecorder.get()
                    .await(id, DocumentRequest.class, l -> !l.isEmpty())
                    .get(0);
            assertEquals(expected, request.getPageCount());
            List<PageImage> pages = TopicRecorder.get().await(id, PageImage.class, l -> l.size() >= expected);
            assertEquals(expected, pages.size(), file);
            assertEquals(
                    expected,
                    pages.stream().map(PageImage::getPageIndex).distinct().count());
            PageImage first = pages.stream()
                    .filter(p -> p.getPageIndex() == 0)
                    .findFirst()
                    .orElseThrow();
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(IngestApiTest.bytes(first)));
            assertEquals(first.getWidth(), img.getWidth());
            assertTrue(first.getHeight() >= 1000, file + ": a letter page renders for a 3 x 4 grid");
        }
    }
}
