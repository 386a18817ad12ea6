package io.pagestream.ingest.render;

/** One page ready to publish: its encoded bytes, their media type and the pixel size. */
public record EncodedPage(byte[] bytes, String mediaType, int width, int height) {
}
