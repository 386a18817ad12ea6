package io.pagestream.ingest.render;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** One page ready to publish: its encoded bytes, their media type, the pixel size and the original page it shows. */
public record EncodedPage(byte[] bytes, String mediaType, int width, int height, SourceGeometry source) {

    /** Its binary form, as the page spool stores it and a render process sends it. */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeUTF(mediaType);
        out.writeInt(width);
        out.writeInt(height);
        out.writeDouble(source.widthPoints());
        out.writeDouble(source.heightPoints());
        out.writeDouble(source.renderScale());
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** A page {@link #writeTo written}; an encoded size over {@code maxBytes} or cut short is an error, not read. */
    public static EncodedPage readFrom(DataInputStream in, int maxBytes) throws IOException {
        String mediaType = in.readUTF();
        int width = in.readInt();
        int height = in.readInt();
        SourceGeometry source = new SourceGeometry(in.readDouble(), in.readDouble(), in.readDouble());
        int length = in.readInt();
        if (length < 0 || length > maxBytes) {
            throw new IOException("a page of " + length + " bytes (at most " + maxBytes + ")");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("a page that ended after " + bytes.length + " of " + length + " bytes");
        }
        return new EncodedPage(bytes, mediaType, width, height, source);
    }
}
