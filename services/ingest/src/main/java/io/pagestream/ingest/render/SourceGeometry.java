package io.pagestream.ingest.render;

/**
 * The original page an image was rendered from, as the contract's {@code SourcePage} records it, so boxes found on the
 * image can be mapped back onto the page.
 *
 * @param widthPoints  width of the page as displayed (crop box, rotation applied) in PDF points; for a raster input,
 *                     the original image's width in pixels (orientation applied)
 * @param heightPoints height likewise
 * @param renderScale  pixels of the rendered image per point: the scale the PDF was rendered at, or rendered width /
 *                     original width for a raster input (1 when it was not shrunk)
 */
public record SourceGeometry(double widthPoints, double heightPoints, double renderScale) {

    public SourceGeometry {
        if (!(widthPoints > 0 && heightPoints > 0 && renderScale > 0)) {
            throw new IllegalArgumentException("a page has a positive size and scale: " + widthPoints + " x "
                    + heightPoints + " at " + renderScale);
        }
    }
}
