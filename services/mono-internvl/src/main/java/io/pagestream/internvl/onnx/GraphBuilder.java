package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A thin builder over the ONNX protobuf classes. Values are plain strings; each op's outputs get a readable,
 * model-wide unique name from the current scope and a hint ({@code layers.3/attn/qkv}), which ONNX needs because
 * subgraphs may not shadow outer names. Large weights go to a {@link WeightFile}; small constants are stored inline.
 * Subgraphs (for {@code If}) share the name space and put their initializers in the main graph, where every branch
 * can see them.
 */
public final class GraphBuilder {
    public static final String MS_DOMAIN = "com.microsoft";
    /** ONNX opset 21: has LayerNormalization (17) and exact Gelu (20); ONNX Runtime 1.23 supports up to 23. */
    public static final int ONNX_OPSET = 21;

    public static final int IR_VERSION = 10;

    private final Shared shared;
    private final GraphProto.Builder graph;
    private final String scope;

    private record Shared(Set<String> names, WeightFile weights, GraphProto.Builder root) {}

    private GraphBuilder(Shared shared, GraphProto.Builder graph, String scope) {
        this.shared = shared;
        this.graph = graph;
        this.scope = scope;
    }

    /** A main graph; {@code weights} receives every tensor added with {@link #weight}, or is null when none are. */
    public static GraphBuilder create(String name, WeightFile weights) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName(name);
        return new GraphBuilder(new Shared(new HashSet<>(), weights, graph), graph, "");
    }

    /** The same graph, naming new values under {@code name} inside the current scope. */
    public GraphBuilder scope(String name) {
        return new GraphBuilder(shared, graph, scoped(name));
    }

    /** A new, empty graph for an op attribute, such as a branch of {@code If}. */
    public GraphBuilder subgraph(String name) {
        return new GraphBuilder(shared, GraphProto.newBuilder().setName(scoped(name)), scoped(name));
    }

    /** Declares a graph input; dims are Integer/Long for fixed sizes and String for symbolic ones. */
    public String input(String name, TensorProto.DataType type, Object... dims) {
        claim(name);
        graph.addInput(valueInfo(name, type, dims));
        return name;
    }

    /** Declares an existing value as a graph output; pass no dims to leave the shape unspecified. */
    public void output(String value, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(value, type, dims));
    }

    /** Declares an output with a known rank but unknown dims, as branch outputs of {@code If} need. */
    public void outputOfRank(String value, TensorProto.DataType type, int rank) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < rank; i++) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder());
        }
        graph.addOutput(ValueInfoProto.newBuilder()
                .setName(value)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(type.getNumber())
                                .setShape(shape))));
    }

    /** Adds a weight stored in the external data file; {@code name} is used as given, without the scope. */
    public String weight(String name, TensorProto.DataType type, List<Long> dims, TensorData data) {
        claim(name);
        shared.root.addInitializer(shared.weights.write(name, type, dims, data));
        return name;
    }

    /** Adds a small int64 constant stored inline in the model. */
    public String ints(String hint, long[] dims, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            bytes.putLong(value);
        }
        return inline(hint, TensorProto.DataType.INT64, dims, bytes);
    }

    /** A 1-D int64 constant, the usual shape of Reshape shapes and axes. */
    public String ints(String hint, long... values) {
        return ints(hint, new long[] {values.length}, values);
    }

    /** Adds a small constant of the given precision, stored inline. */
    public String floats(String hint, Precision precision, long[] dims, float... values) {
        ByteBuffer bytes =
                ByteBuffer.allocate(values.length * precision.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            precision.put(bytes, value);
        }
        return inline(hint, precision.onnxType(), dims, bytes);
    }

    private String inline(String hint, TensorProto.DataType type, long[] dims, ByteBuffer bytes) {
        String name = unique(hint);
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(bytes.flip()));
        Arrays.stream(dims).forEach(tensor::addDims);
        shared.root.addInitializer(tensor);
        return name;
    }

    /** Starts a node; it is added to the graph when its outputs are named. */
    public Node op(String opType, String... inputs) {
        return new Node(opType, inputs);
    }

    public GraphProto graph() {
        return graph.build();
    }

    /** The model around this (main) graph, importing the ONNX and {@code com.microsoft} op sets. */
    public ModelProto model() {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("pagestream")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(ONNX_OPSET))
                .addOpsetImport(
                        OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1))
                .setGraph(graph)
                .build();
    }

    public void save(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            model().writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Reserves a unique value name made from the scope and {@code hint}. */
    public String name(String hint) {
        return unique(hint);
    }

    /** Reserves {@code name} exactly, for values that are graph outputs; fails if it is taken. */
    public String exactName(String name) {
        claim(name);
        return name;
    }

    private String scoped(String hint) {
        return scope.isEmpty() ? hint : scope + "/" + hint;
    }

    private String unique(String hint) {
        String base = scoped(hint);
        String name = base;
        for (int i = 1; shared.names.contains(name); i++) {
            name = base + "_" + i;
        }
        shared.names.add(name);
        return name;
    }

    private void claim(String name) {
        if (!shared.names.add(name)) {
            throw new IllegalArgumentException("value name '" + name + "' is already used");
        }
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        if (dims.length > 0) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (Object dim : dims) {
                TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
                if (dim instanceof String symbol) {
                    d.setDimParam(symbol);
                } else {
                    d.setDimValue(((Number) dim).longValue());
                }
                shape.addDim(d);
            }
            tensor.setShape(shape);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    /** One node under construction. */
    public final class Node {
        private final NodeProto.Builder node;

        private Node(String opType, String... inputs) {
            node = NodeProto.newBuilder().setOpType(opType).addAllInput(Arrays.asList(inputs));
        }

        public Node domain(String domain) {
            node.setDomain(domain);
            return this;
        }

        public Node attr(String name, long value) {
            return attr(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(value));
        }

        public Node attr(String name, float value) {
            return attr(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.FLOAT)
                    .setF(value));
        }

        public Node attr(String name, String value) {
            return attr(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(value)));
        }

        public Node attr(String name, long... values) {
            AttributeProto.Builder attr =
                    AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            Arrays.stream(values).forEach(attr::addInts);
            return attr(attr);
        }

        public Node attr(String name, GraphProto value) {
            return attr(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.GRAPH)
                    .setG(value));
        }

        private Node attr(AttributeProto.Builder attr) {
            node.addAttribute(attr);
            return this;
        }

        /** Adds the node with one output named after its op type. */
        public String out() {
            return out(node.getOpType());
        }

        /** Adds the node with one output named after {@code hint}. */
        public String out(String hint) {
            return outs(hint).get(0);
        }

        /** Adds the node with one output per hint; an empty hint leaves that optional output unused. */
        public List<String> outs(String... hints) {
            return named(
                    Arrays.stream(hints).map(h -> h.isEmpty() ? "" : name(h)).toArray(String[]::new));
        }

        /** Adds the node with outputs named exactly as given (graph outputs), ignoring the scope. */
        public List<String> exact(String... names) {
            return named(Arrays.stream(names)
                    .map(n -> n.isEmpty() ? "" : exactName(n))
                    .toArray(String[]::new));
        }

        /** Adds the node with outputs already reserved by {@link #name} or {@link #exactName}; "" for unused. */
        public List<String> named(String... names) {
            return add(List.of(names));
        }

        private List<String> add(List<String> outputs) {
            node.addAllOutput(outputs);
            String first =
                    outputs.stream().filter(o -> !o.isEmpty()).findFirst().orElseThrow();
            graph.addNode(node.setName(first));
            return outputs;
        }
    }
}
