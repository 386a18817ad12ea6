/**
 * The few functions of ONNX Runtime's C API that its Java API lacks — IoBinding, session allocators, tensors over
 * memory the caller owns, memory info for host and CUDA — called through {@code java.lang.foreign} on the library the
 * ORT jar has loaded. With them the engine keeps its KV cache where the session computes and binds it once, instead
 * of handing ORT host buffers on every run.
 *
 * <p>Rules every class here keeps: each native object has one owner and is released by {@code close()}; an ORT error
 * status becomes an {@link ai.onnxruntime.OrtException} with ORT's message and code; what can be checked before a
 * native call is checked (names, element types, ranks and fixed dimensions against the session's metadata; bounds
 * of views; closed objects and freed memory), so misuse throws instead of crashing the JVM.
 */
package io.pagestream.internvl.ort;
