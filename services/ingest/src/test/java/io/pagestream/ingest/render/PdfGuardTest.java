package io.pagestream.ingest.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pagestream.ingest.format.DocumentFormat;
import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BiConsumer;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zip bombs in the stream kinds a renderer draws besides a page's content: each counted against the page's budget. */
class PdfGuardTest {
    private static final Limits LIMITS = Limits.defaults().withMaxDecodedBytesPerPage(8L << 20);
    private static final long BOMB = 9L << 20;

    @TempDir
    Path dir;

    @Test
    void anAnnotationsAppearanceCounts() throws Exception {
        assertBomb((doc, page) -> {
            COSDictionary appearances = new COSDictionary();
            appearances.setItem(COSName.N, bomb(doc));
            COSDictionary annotation = new COSDictionary();
            annotation.setItem(COSName.SUBTYPE, COSName.getPDFName("Stamp"));
            annotation.setItem(COSName.AP, appearances);
            COSArray annotations = new COSArray();
            annotations.add(annotation);
            page.getCOSObject().setItem(COSName.ANNOTS, annotations);
        });
    }

    @Test
    void aShadingMeshCounts() throws Exception {
        assertBomb((doc, page) -> {
            COSStream mesh = bomb(doc);
            mesh.setInt(COSName.SHADING_TYPE, 4);
            COSDictionary shadings = new COSDictionary();
            shadings.setItem(COSName.getPDFName("Sh0"), mesh);
            page.getCOSObject().setItem(COSName.RESOURCES, resources(COSName.SHADING, shadings));
        });
    }

    @Test
    void aFormNestedDeeperThanSixteenCounts() throws Exception {
        assertBomb((doc, page) -> {
            COSStream form = bomb(doc);
            for (int level = 0; level < 40; level++) {
                form.setItem(COSName.SUBTYPE, COSName.FORM);
                COSDictionary xobjects = new COSDictionary();
                xobjects.setItem(COSName.getPDFName("F0"), form);
                COSStream outer = doc.getDocument().createCOSStream();
                outer.setItem(COSName.RESOURCES, resources(COSName.XOBJECT, xobjects));
                form = outer;
            }
            page.getCOSObject().setItem(COSName.RESOURCES, form.getDictionaryObject(COSName.RESOURCES));
        });
    }

    private void assertBomb(BiConsumer<PDDocument, PDPage> build) throws Exception {
        Path file = dir.resolve("bomb.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            build.accept(doc, page);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            Files.write(file, out.toByteArray());
        }
        Rejected r = assertThrows(Rejected.class, () -> PageSources.open(file, DocumentFormat.PDF, LIMITS)
                .close());
        assertEquals(Reason.DECOMPRESSION_BOMB, r.reason(), r.getMessage());
    }

    private static COSDictionary resources(COSName kind, COSDictionary entries) {
        COSDictionary resources = new COSDictionary();
        resources.setItem(kind, entries);
        return resources;
    }

    /** A Flate stream of spaces, more than the page's budget once inflated. */
    private static COSStream bomb(PDDocument doc) {
        COSStream stream = doc.getDocument().createCOSStream();
        try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (long written = 0; written < BOMB; written += spaces.length) {
                out.write(spaces);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return stream;
    }
}
