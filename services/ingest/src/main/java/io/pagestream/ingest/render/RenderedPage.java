package io.pagestream.ingest.render;

import java.awt.image.BufferedImage;

/** A page rendered for the model: the opaque RGB image and the original page it shows. */
public record RenderedPage(BufferedImage image, SourceGeometry source) {}
