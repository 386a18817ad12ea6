package io.pagestream.ingest.format;

/** A file type recognised from its first bytes; {@link #supported()} says whether ingest turns it into pages. */
public enum DocumentFormat {
    PDF("application/pdf", true),
    TIFF("image/tiff", true),
    PNG("image/png", true),
    JPEG("image/jpeg", true),
    WEBP("image/webp", true),
    GIF("image/gif", false),
    BMP("image/bmp", false),
    ZIP("application/zip", false),
    POSTSCRIPT("application/postscript", false),
    UNKNOWN("application/octet-stream", false);

    private final String mediaType;
    private final boolean supported;

    DocumentFormat(String mediaType, boolean supported) {
        this.mediaType = mediaType;
        this.supported = supported;
    }

    public String mediaType() {
        return mediaType;
    }

    public boolean supported() {
        return supported;
    }
}
