package io.pagestream.ingest.render;

import io.pagestream.ingest.limits.Limits;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.limits.Rejected;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * Checks a PDF against the limits before anything is rendered, from dictionaries and bounded decoding only:
 * <ul>
 *   <li>page count, counted by walking the page tree (never trusting {@code /Count});</li>
 *   <li>page size: each side of the crop box, times {@code /UserUnit}, at most {@code maxPageSidePoints} (default 14,400
 *       pt = 200 in, PDF's own implementation limit) — a "huge page" bomb;</li>
 *   <li>image XObjects (and their soft masks), also inside forms, patterns and Type 3 fonts: declared width × height at
 *       most {@code maxPixelsPerPage} — an image bomb is refused before a byte of it is inflated;</li>
 *   <li>Flate-compressed content streams, forms, tiling patterns, shading meshes, soft-mask groups, annotation
 *       appearances, Type 3 glyph procedures and embedded font programs of a page, nested at any depth: inflated with a
 *       counter, at most {@code maxDecodedBytesPerPage} in all — a zip bomb is refused after reading at most that much.
 *       Each stream is counted once per document (fonts are shared between pages).</li>
 * </ul>
 * Not covered here: inline images inside content streams, streams compressed with filters other than Flate alone (LZW,
 * run-length), and what a form costs each time it is drawn (a form drawn a thousand times counts once). What these
 * miss is bounded by the render process that runs this guard: its heap cap and deadlines (RenderPool).
 */
final class PdfGuard {
    private final Limits limits;
    private final Set<COSBase> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private int pageNumber;
    private long budget;

    private PdfGuard(Limits limits) {
        this.limits = limits;
    }

    /**
     * Checks every page; returns the pages the page tree holds, in order. PDFBox's iteration walks the tree's
     * {@code /Kids} (skipping a node met twice, so a loop ends), never its {@code /Count} values, which a file may set
     * to anything.
     */
    static List<PDPage> check(PDDocument document, Limits limits) throws Rejected {
        PdfGuard guard = new PdfGuard(limits);
        List<PDPage> pages = new ArrayList<>();
        for (PDPage page : document.getPages()) {
            pages.add(page);
            if (pages.size() > limits.maxPages()) {
                throw new Rejected(
                        Reason.TOO_MANY_PAGES, "the PDF has more than " + limits.maxPages() + " pages (the limit)");
            }
            guard.checkPage(page, pages.size());
        }
        return pages;
    }

    private void checkPage(PDPage page, int number) throws Rejected {
        pageNumber = number;
        budget = limits.maxDecodedBytesPerPage();
        PDRectangle box = page.getCropBox();
        double unit = page.getUserUnit();
        double w = box.getWidth() * unit;
        double h = box.getHeight() * unit;
        if (!(w > 0 && h > 0)) {
            throw Rejected.corrupt("page " + number + " has an empty or invalid page box", null);
        }
        if (w > limits.maxPageSidePoints() || h > limits.maxPageSidePoints()) {
            throw new Rejected(
                    Reason.TOO_MANY_PIXELS,
                    String.format(
                            java.util.Locale.ROOT,
                            "page %d measures %.0f x %.0f pt (%.0f x %.0f in); a page side may be at most %.0f pt (%.0f in)",
                            number,
                            w,
                            h,
                            w / 72,
                            h / 72,
                            limits.maxPageSidePoints(),
                            limits.maxPageSidePoints() / 72));
        }
        COSBase contents = page.getCOSObject().getDictionaryObject(COSName.CONTENTS);
        if (contents instanceof COSStream stream) {
            inflate(stream);
        } else if (contents instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.getObject(i) instanceof COSStream stream) {
                    inflate(stream);
                }
            }
        }
        resources(page.getCOSObject().getDictionaryObject(COSName.RESOURCES));
        if (page.getCOSObject().getDictionaryObject(COSName.ANNOTS) instanceof COSArray annotations) {
            for (int i = 0; i < annotations.size(); i++) {
                if (annotations.getObject(i) instanceof COSDictionary annotation
                        && annotation.getDictionaryObject(COSName.AP) instanceof COSDictionary appearances) {
                    appearances(appearances);
                }
            }
        }
    }

    /** An annotation's appearances (normal, rollover, down): each a form, or a dictionary of forms by state. */
    private void appearances(COSDictionary appearances) throws Rejected {
        for (COSName kind : new COSName[] {COSName.N, COSName.R, COSName.D}) {
            COSBase appearance = appearances.getDictionaryObject(kind);
            if (appearance instanceof COSStream form) {
                form(form);
            } else if (appearance instanceof COSDictionary states) {
                for (COSName state : states.keySet()) {
                    if (states.getDictionaryObject(state) instanceof COSStream form) {
                        form(form);
                    }
                }
            }
        }
    }

    private void resources(COSBase base) throws Rejected {
        if (!(base instanceof COSDictionary res) || !visited.add(res)) {
            return;
        }
        if (res.getDictionaryObject(COSName.XOBJECT) instanceof COSDictionary xobjects) {
            for (COSName name : xobjects.keySet()) {
                if (xobjects.getDictionaryObject(name) instanceof COSStream xobject) {
                    xobject(xobject);
                }
            }
        }
        if (res.getDictionaryObject(COSName.PATTERN) instanceof COSDictionary patterns) {
            for (COSName name : patterns.keySet()) {
                COSBase pattern = patterns.getDictionaryObject(name);
                if (pattern instanceof COSStream tiling) {
                    form(tiling);
                } else if (pattern instanceof COSDictionary shadingPattern) {
                    shading(shadingPattern.getDictionaryObject(COSName.SHADING));
                }
            }
        }
        if (res.getDictionaryObject(COSName.SHADING) instanceof COSDictionary shadings) {
            for (COSName name : shadings.keySet()) {
                shading(shadings.getDictionaryObject(name));
            }
        }
        if (res.getDictionaryObject(COSName.EXT_G_STATE) instanceof COSDictionary states) {
            for (COSName name : states.keySet()) {
                if (states.getDictionaryObject(name) instanceof COSDictionary state
                        && state.getDictionaryObject(COSName.SMASK) instanceof COSDictionary mask
                        && mask.getDictionaryObject(COSName.G) instanceof COSStream group) {
                    form(group);
                }
            }
        }
        if (res.getDictionaryObject(COSName.FONT) instanceof COSDictionary fonts) {
            for (COSName name : fonts.keySet()) {
                font(fonts.getDictionaryObject(name));
            }
        }
    }

    private void xobject(COSStream xobject) throws Rejected {
        if (!visited.add(xobject)) {
            return;
        }
        COSName subtype = xobject.getCOSName(COSName.SUBTYPE);
        if (COSName.IMAGE.equals(subtype)) {
            image(xobject);
            if (xobject.getDictionaryObject(COSName.SMASK) instanceof COSStream mask) {
                image(mask);
            }
            if (xobject.getDictionaryObject(COSName.MASK) instanceof COSStream mask) {
                image(mask);
            }
        } else if (COSName.FORM.equals(subtype)) {
            inflate(xobject);
            resources(xobject.getDictionaryObject(COSName.RESOURCES));
        }
    }

    /** A form-like stream (an appearance, a tiling pattern, a soft mask's group): its content and its resources. */
    private void form(COSStream form) throws Rejected {
        if (visited.add(form)) {
            inflate(form);
            resources(form.getDictionaryObject(COSName.RESOURCES));
        }
    }

    /** Shading types 4 to 7 keep their mesh in a stream, as large as a file makes it. */
    private void shading(COSBase shading) throws Rejected {
        if (shading instanceof COSStream mesh && visited.add(mesh)) {
            inflate(mesh);
        }
    }

    private void image(COSStream image) throws Rejected {
        long w = image.getLong(COSName.WIDTH, image.getLong(COSName.W, 0));
        long h = image.getLong(COSName.HEIGHT, image.getLong(COSName.H, 0));
        if (w < 0 || h < 0) {
            throw Rejected.corrupt("page " + pageNumber + " has an image of negative size", null);
        }
        if (w * h > limits.maxPixelsPerPage()) {
            throw new Rejected(
                    Reason.TOO_MANY_PIXELS,
                    "page " + pageNumber + " draws an image of " + w + " x " + h + " pixels; an image may have at most "
                            + limits.maxPixelsPerPage() + " pixels");
        }
    }

    private void font(COSBase base) throws Rejected {
        if (!(base instanceof COSDictionary font) || !visited.add(font)) {
            return;
        }
        if (font.getDictionaryObject(COSName.FONT_DESC) instanceof COSDictionary descriptor) {
            for (COSName key : new COSName[] {COSName.FONT_FILE, COSName.FONT_FILE2, COSName.FONT_FILE3}) {
                if (descriptor.getDictionaryObject(key) instanceof COSStream program && visited.add(program)) {
                    inflate(program);
                }
            }
        }
        if (font.getDictionaryObject(COSName.DESCENDANT_FONTS) instanceof COSArray descendants) {
            for (int i = 0; i < descendants.size(); i++) {
                font(descendants.getObject(i));
            }
        }
        if (font.getDictionaryObject(COSName.CHAR_PROCS) instanceof COSDictionary procs) {
            for (COSName name : procs.keySet()) {
                if (procs.getDictionaryObject(name) instanceof COSStream proc && visited.add(proc)) {
                    inflate(proc);
                }
            }
            resources(font.getDictionaryObject(COSName.RESOURCES));
        }
    }

    /** Counts the stream's decoded size against the page budget (Flate alone is inflated; others count raw). */
    private void inflate(COSStream stream) throws Rejected {
        COSBase filter = stream.getDictionaryObject(COSName.FILTER);
        boolean flate = COSName.FLATE_DECODE.equals(filter)
                || COSName.FLATE_DECODE_ABBREVIATION.equals(filter)
                || (filter instanceof COSArray a
                        && a.size() == 1
                        && (COSName.FLATE_DECODE.equals(a.getObject(0))
                                || COSName.FLATE_DECODE_ABBREVIATION.equals(a.getObject(0))));
        long size;
        if (!flate) {
            size = Math.max(0, stream.getLength());
        } else {
            size = 0;
            Inflater inflater = new Inflater();
            try (InputStream raw = stream.createRawInputStream();
                    InputStream in = new InflaterInputStream(raw, inflater, 8192)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    size += n;
                    if (size > budget) {
                        break;
                    }
                }
            } catch (IOException e) {
                // A damaged stream: PDFBox is lenient with these and renders what it can; only the size matters here.
            } finally {
                inflater.end();
            }
        }
        budget -= size;
        if (budget < 0) {
            throw new Rejected(
                    Reason.DECOMPRESSION_BOMB,
                    "the compressed streams of page " + pageNumber + " inflate to more than "
                            + limits.maxDecodedBytesPerPage() + " bytes (the limit)");
        }
    }
}
