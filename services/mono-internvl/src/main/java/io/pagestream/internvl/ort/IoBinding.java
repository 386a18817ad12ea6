package io.pagestream.internvl.ort;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs and outputs bound to one session once and run many times ({@code OrtIoBinding}): ORT reads inputs from and
 * writes outputs into the bound tensors where they are, so a value that lives on the device (a KV cache bound as
 * both past input and present output) never crosses to the host. Only values staged in Java's host memory do, and
 * {@link #stagedBytes()} counts them.
 *
 * <p>Binding checks name, element type, rank and fixed dimensions against the session's own metadata, so a mistake
 * is an {@link IllegalArgumentException} here rather than undefined behaviour in native code. The binding borrows
 * the session: close the binding before the session (it refuses to run on a closed one).
 */
public final class IoBinding implements AutoCloseable {
    private final OrtApi api;
    private final OrtSession session;
    private final MemorySegment sessionPointer;
    private final MemorySegment binding;
    private final MemorySegment runOptions;
    private final Arena names = Arena.ofShared();
    private final Map<String, MemorySegment> cNames = new HashMap<>();
    private final Map<String, NodeInfo> inputs;
    private final Map<String, NodeInfo> outputs;
    private final Map<String, NativeTensor> boundInputs = new HashMap<>();
    private final Map<String, NativeTensor> boundOutputs = new HashMap<>();
    private NativeTensor[] bound = new NativeTensor[0];
    private MemorySegment[] stagedNames = new MemorySegment[0];
    private NativeTensor[] stagedInputs = new NativeTensor[0];
    private boolean closed;

    private IoBinding(
            OrtApi api,
            OrtSession session,
            MemorySegment sessionPointer,
            MemorySegment binding,
            MemorySegment runOptions)
            throws OrtException {
        this.api = api;
        this.session = session;
        this.sessionPointer = sessionPointer;
        this.binding = binding;
        this.runOptions = runOptions;
        this.inputs = session.getInputInfo();
        this.outputs = session.getOutputInfo();
    }

    public static IoBinding of(OrtSession session) throws OrtException {
        OrtApi api = OrtApi.get();
        MemorySegment sessionPointer = MemorySegment.ofAddress(OrtApi.JavaApiHandles.session(session));
        MemorySegment binding = api.create(out -> (long) api.createIoBinding.invokeExact(sessionPointer, out));
        MemorySegment runOptions;
        try {
            runOptions = api.create(out -> (long) api.createRunOptions.invokeExact(out));
        } catch (OrtException | RuntimeException e) {
            api.invokeVoid(api.releaseIoBinding, binding);
            throw e;
        }
        try {
            return new IoBinding(api, session, sessionPointer, binding, runOptions);
        } catch (OrtException | RuntimeException e) {
            api.invokeVoid(api.releaseRunOptions, runOptions);
            api.invokeVoid(api.releaseIoBinding, binding);
            throw e;
        }
    }

    /** Binds {@code tensor} as input {@code name}, replacing what was bound there. */
    public void bindInput(String name, NativeTensor tensor) throws OrtException {
        bind(name, tensor, inputs, "input", api.bindInput);
        boundInputs.put(name, tensor);
        refreshBound();
    }

    /** Binds {@code tensor} as output {@code name}: ORT writes the output into it, in place. */
    public void bindOutput(String name, NativeTensor tensor) throws OrtException {
        bind(name, tensor, outputs, "output", api.bindOutput);
        boundOutputs.put(name, tensor);
        refreshBound();
    }

    private void bind(
            String name,
            NativeTensor tensor,
            Map<String, NodeInfo> declared,
            String kind,
            java.lang.invoke.MethodHandle call)
            throws OrtException {
        checkOpen();
        NodeInfo node = declared.get(name);
        if (node == null) {
            throw new IllegalArgumentException(
                    "the session has no " + kind + " '" + name + "' (it has " + declared.keySet() + ")");
        }
        if (!(node.getInfo() instanceof TensorInfo info)) {
            throw new IllegalArgumentException(kind + " '" + name + "' is not a tensor");
        }
        if (!info.onnxType
                .name()
                .equals("ONNX_TENSOR_ELEMENT_DATA_TYPE_" + tensor.type().name())) {
            throw new IllegalArgumentException(kind + " '" + name + "' is " + info.onnxType + ", not " + tensor.type());
        }
        long[] shape = info.getShape();
        if (shape.length != tensor.rank()) {
            throw new IllegalArgumentException(kind + " '" + name + "' has shape " + Arrays.toString(shape)
                    + ", not rank " + tensor.rank() + " " + tensor);
        }
        for (int axis = 0; axis < shape.length; axis++) {
            if (shape[axis] >= 0 && shape[axis] != tensor.dim(axis)) {
                throw new IllegalArgumentException(
                        kind + " '" + name + "' has shape " + Arrays.toString(shape) + "; cannot bind " + tensor);
            }
        }
        MemorySegment cName = cNames.computeIfAbsent(name, names::allocateFrom);
        try {
            api.check((long) call.invokeExact(binding, cName, tensor.value()));
        } catch (OrtException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void refreshBound() {
        List<NativeTensor> all = new ArrayList<>(boundInputs.values());
        all.addAll(boundOutputs.values());
        bound = all.toArray(NativeTensor[]::new);
        List<String> staged = boundInputs.entrySet().stream()
                .filter(e -> e.getValue().staged())
                .map(Map.Entry::getKey)
                .toList();
        stagedNames = staged.stream().map(cNames::get).toArray(MemorySegment[]::new);
        stagedInputs = staged.stream().map(boundInputs::get).toArray(NativeTensor[]::new);
    }

    /**
     * Runs the session on what is bound and waits until the outputs are where they were bound (on a GPU the run is
     * asynchronous until then).
     */
    public void run() throws OrtException {
        checkOpen();
        if (OrtApi.JavaApiHandles.closed(session)) {
            throw new IllegalStateException("the ORT session of this binding is closed");
        }
        for (NativeTensor tensor : bound) {
            if (!tensor.usable()) {
                throw new IllegalStateException("a bound tensor (" + tensor + ") or its memory was released");
            }
        }
        try {
            // ORT copies an input that its node reads on another device when the input is bound, not when the
            // session runs: inputs staged in host memory are bound again so that a GPU sees this run's values (on
            // the CPU provider this only updates the binding's map).
            for (int i = 0; i < stagedInputs.length; i++) {
                api.check((long) api.bindInput.invokeExact(binding, stagedNames[i], stagedInputs[i].value()));
            }
            api.check((long) api.runWithBinding.invokeExact(sessionPointer, runOptions, binding));
            api.check((long) api.synchronizeBoundOutputs.invokeExact(binding));
        } catch (OrtException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Bytes of the bound values staged in Java's host memory ({@link NativeTensor#staged}): what crosses between
     * host and device on each run when the session computes on a GPU.
     */
    public long stagedBytes() {
        long bytes = 0;
        for (NativeTensor tensor : bound) {
            bytes += tensor.staged() ? tensor.bytes() : 0;
        }
        return bytes;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("binding closed");
        }
    }

    /** Releases the binding; the bound tensors stay with their owners. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        api.invokeVoid(api.clearBoundInputs, binding);
        api.invokeVoid(api.clearBoundOutputs, binding);
        api.invokeVoid(api.releaseIoBinding, binding);
        api.invokeVoid(api.releaseRunOptions, runOptions);
        names.close();
    }
}
