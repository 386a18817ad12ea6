package io.pagestream.avro;

import io.pagestream.schema.ModelRun;
import io.pagestream.schema.PageOcr;
import java.time.Instant;

final class Samples {
    private Samples() {}

    static PageOcr pageOcr(String documentId, int page) {
        return PageOcr.newBuilder()
                .setDocumentId(documentId)
                .setPageIndex(page)
                .setPageCount(3)
                .setText("Invoice Nº " + page + " — Größe 12 × 3, 合計 ¥4,200")
                .setConfidence(0.93)
                .setWidth(1654)
                .setHeight(2339)
                .setTruncated(false)
                .setRun(ModelRun.newBuilder()
                        .setModelId("random-tiny")
                        .setModelVersion("sha256:abc/fp32")
                        .setTiles(7)
                        .setPromptTokens(1831)
                        .setGeneratedTokens(212)
                        .setPrefillMillis(41.5)
                        .setDecodeMillis(830.25)
                        .setBatchSize(4)
                        .setWorker("worker-0")
                        .build())
                .setCompletedAt(Instant.ofEpochMilli(1_790_000_000_000L))
                .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .build();
    }
}
