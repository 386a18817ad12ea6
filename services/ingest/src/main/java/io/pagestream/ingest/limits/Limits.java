package io.pagestream.ingest.limits;

/**
 * What one submission may be. Every limit is checked before any page is rendered: bytes from the upload's size,
 * pages from the PDF page tree or the TIFF directory chain, pixels from image headers and PDF image dictionaries.
 *
 * @param maxBytes               largest file accepted
 * @param maxPages               most pages in one document
 * @param maxPixelsPerPage       most pixels of a raster page or of one image drawn on a PDF page (declared size)
 * @param maxQuestions           most questions per document
 * @param maxQuestionLength      longest question, in characters (Unicode code points, not UTF-16 units)
 * @param maxPageSidePoints      longest side of a PDF page in points (1/72 in), user unit applied
 * @param maxDecodedBytesPerPage most bytes the Flate streams of one PDF page (contents, forms, fonts) may inflate to
 */
public record Limits(
        long maxBytes,
        int maxPages,
        long maxPixelsPerPage,
        int maxQuestions,
        int maxQuestionLength,
        double maxPageSidePoints,
        long maxDecodedBytesPerPage) {

    /** The defaults of the service's configuration. */
    public static Limits defaults() {
        return new Limits(512L * 1024 * 1024, 2000, 100_000_000L, 20, 1000, 14_400, 128L * 1024 * 1024);
    }

    public Limits withMaxBytes(long bytes) {
        return new Limits(
                bytes,
                maxPages,
                maxPixelsPerPage,
                maxQuestions,
                maxQuestionLength,
                maxPageSidePoints,
                maxDecodedBytesPerPage);
    }

    public Limits withMaxPages(int pages) {
        return new Limits(
                maxBytes,
                pages,
                maxPixelsPerPage,
                maxQuestions,
                maxQuestionLength,
                maxPageSidePoints,
                maxDecodedBytesPerPage);
    }

    public Limits withMaxPixelsPerPage(long pixels) {
        return new Limits(
                maxBytes, maxPages, pixels, maxQuestions, maxQuestionLength, maxPageSidePoints, maxDecodedBytesPerPage);
    }

    public Limits withMaxDecodedBytesPerPage(long bytes) {
        return new Limits(
                maxBytes, maxPages, maxPixelsPerPage, maxQuestions, maxQuestionLength, maxPageSidePoints, bytes);
    }
}
