package io.pagestream.ingest.render;

/** One page ready to publish: its encoded bytes, their media type, the pixel size and the original page it shows. */
public record EncodedPage(byte[] bytes, String mediaType, int width, int height, SourceGeometry source) {}
