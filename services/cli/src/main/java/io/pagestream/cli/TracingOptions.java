package io.pagestream.cli;

import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Tracing, as {@code up} and {@code demo} take it: off (the services' default), or on and sent to an OTLP endpoint. */
final class TracingOptions {
    static final String GRPC = "grpc";
    static final String HTTP_PROTOBUF = "http/protobuf";

    @Option(
            names = "--otlp-endpoint",
            paramLabel = "URL",
            description =
                    "Turn tracing on in ingest, worker and assembler and export their spans to this OTLP endpoint, e.g. http://localhost:4317 (a Jaeger all-in-one). Default: tracing off.")
    String endpoint;

    @Option(
            names = "--otlp-protocol",
            defaultValue = GRPC,
            converter = ProtocolConverter.class,
            paramLabel = "PROTOCOL",
            description = GRPC + " (port 4317) or " + HTTP_PROTOBUF + " (port 4318). Default: ${DEFAULT-VALUE}.")
    String protocol;

    LocalPipeline.Tracing tracing() {
        return endpoint == null
                ? LocalPipeline.Tracing.OFF
                : new LocalPipeline.Tracing(List.of(
                        "-Dquarkus.otel.sdk.disabled=false",
                        "-Dquarkus.otel.exporter.otlp.endpoint=" + endpoint,
                        "-Dquarkus.otel.exporter.otlp.protocol=" + protocol));
    }

    /** Quarkus' OTLP exporter knows these two; anything else would only fail once the services start. */
    static final class ProtocolConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.equals(GRPC) && !value.equals(HTTP_PROTOBUF)) {
                throw new TypeConversionException("expected " + GRPC + " or " + HTTP_PROTOBUF + ", not " + value);
            }
            return value;
        }
    }
}
