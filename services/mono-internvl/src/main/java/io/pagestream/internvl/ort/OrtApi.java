package io.pagestream.internvl.ort;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;

/**
 * The functions of ONNX Runtime's C API ({@code struct OrtApi}) that the Java API lacks, called through
 * {@code java.lang.foreign} on the same library and the same API table the ORT jar's JNI layer uses.
 *
 * <p>{@code OrtApi} is a table of function pointers that ORT only ever appends to, so a function's index in
 * {@code onnxruntime_c_api.h} holds for every later release: the indices below were counted from the header of
 * API version 29 and are all below version 23, the oldest this project builds with (ORT 1.23.2).
 *
 * <p>Every call that returns an {@code OrtStatus*} goes through {@link #check}, which turns a non-null status into
 * an {@link OrtException} carrying ORT's own message and error code, and releases the status.
 */
final class OrtApi {
    // Indices into struct OrtApi (onnxruntime_c_api.h).
    private static final int GET_ERROR_CODE = 1;
    private static final int GET_ERROR_MESSAGE = 2;
    private static final int CREATE_RUN_OPTIONS = 39;
    private static final int CREATE_TENSOR_WITH_DATA_AS_ORT_VALUE = 49;
    private static final int GET_TENSOR_MUTABLE_DATA = 51;
    private static final int CREATE_MEMORY_INFO = 68;
    private static final int CREATE_CPU_MEMORY_INFO = 69;
    private static final int ALLOCATOR_ALLOC = 75;
    private static final int ALLOCATOR_FREE = 76;
    private static final int RELEASE_STATUS = 93;
    private static final int RELEASE_MEMORY_INFO = 94;
    private static final int RELEASE_VALUE = 96;
    private static final int RELEASE_RUN_OPTIONS = 97;
    private static final int CREATE_ALLOCATOR = 131;
    private static final int RELEASE_ALLOCATOR = 132;
    private static final int RUN_WITH_BINDING = 133;
    private static final int CREATE_IO_BINDING = 134;
    private static final int RELEASE_IO_BINDING = 135;
    private static final int BIND_INPUT = 136;
    private static final int BIND_OUTPUT = 137;
    private static final int CLEAR_BOUND_INPUTS = 141;
    private static final int CLEAR_BOUND_OUTPUTS = 142;
    private static final int SYNCHRONIZE_BOUND_OUTPUTS = 203;
    private static final int TABLE_SIZE = 204;

    // An OrtStatus* comes back as a long (a pointer is 64 bits on every platform ORT's jar ships for), so that a
    // successful call allocates no Java object: a decode step makes four of these calls.
    private static final FunctionDescriptor STATUS_P = FunctionDescriptor.of(JAVA_LONG, ADDRESS);
    private static final FunctionDescriptor STATUS_PP = FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS);
    private static final FunctionDescriptor STATUS_PPP = FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS);
    private static final FunctionDescriptor VOID_P = FunctionDescriptor.ofVoid(ADDRESS);

    private static OrtApi instance;

    final MethodHandle getErrorCode;
    final MethodHandle getErrorMessage;
    final MethodHandle releaseStatus;
    final MethodHandle createRunOptions;
    final MethodHandle releaseRunOptions;
    final MethodHandle createTensorWithDataAsOrtValue;
    final MethodHandle getTensorMutableData;
    final MethodHandle releaseValue;
    final MethodHandle createMemoryInfo;
    final MethodHandle createCpuMemoryInfo;
    final MethodHandle releaseMemoryInfo;
    final MethodHandle createAllocator;
    final MethodHandle releaseAllocator;
    final MethodHandle allocatorAlloc;
    final MethodHandle allocatorFree;
    final MethodHandle createIoBinding;
    final MethodHandle releaseIoBinding;
    final MethodHandle bindInput;
    final MethodHandle bindOutput;
    final MethodHandle clearBoundInputs;
    final MethodHandle clearBoundOutputs;
    final MethodHandle runWithBinding;
    final MethodHandle synchronizeBoundOutputs;

    private OrtApi(MemorySegment table) {
        Linker linker = Linker.nativeLinker();
        Lookup f = (index, descriptor) -> linker.downcallHandle(table.getAtIndex(ADDRESS, index), descriptor);
        getErrorCode = f.at(GET_ERROR_CODE, FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getErrorMessage = f.at(GET_ERROR_MESSAGE, FunctionDescriptor.of(ADDRESS, ADDRESS));
        releaseStatus = f.at(RELEASE_STATUS, VOID_P);
        createRunOptions = f.at(CREATE_RUN_OPTIONS, STATUS_P);
        releaseRunOptions = f.at(RELEASE_RUN_OPTIONS, VOID_P);
        createTensorWithDataAsOrtValue = f.at(
                CREATE_TENSOR_WITH_DATA_AS_ORT_VALUE,
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS));
        getTensorMutableData = f.at(GET_TENSOR_MUTABLE_DATA, STATUS_PP);
        releaseValue = f.at(RELEASE_VALUE, VOID_P);
        createMemoryInfo = f.at(
                CREATE_MEMORY_INFO, FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        createCpuMemoryInfo =
                f.at(CREATE_CPU_MEMORY_INFO, FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS));
        releaseMemoryInfo = f.at(RELEASE_MEMORY_INFO, VOID_P);
        createAllocator = f.at(CREATE_ALLOCATOR, STATUS_PPP);
        releaseAllocator = f.at(RELEASE_ALLOCATOR, VOID_P);
        allocatorAlloc = f.at(ALLOCATOR_ALLOC, FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        allocatorFree = f.at(ALLOCATOR_FREE, STATUS_PP);
        createIoBinding = f.at(CREATE_IO_BINDING, STATUS_PP);
        releaseIoBinding = f.at(RELEASE_IO_BINDING, VOID_P);
        bindInput = f.at(BIND_INPUT, STATUS_PPP);
        bindOutput = f.at(BIND_OUTPUT, STATUS_PPP);
        clearBoundInputs = f.at(CLEAR_BOUND_INPUTS, VOID_P);
        clearBoundOutputs = f.at(CLEAR_BOUND_OUTPUTS, VOID_P);
        runWithBinding = f.at(RUN_WITH_BINDING, STATUS_PPP);
        synchronizeBoundOutputs = f.at(SYNCHRONIZE_BOUND_OUTPUTS, STATUS_P);
    }

    @FunctionalInterface
    private interface Lookup {
        MethodHandle at(int index, FunctionDescriptor descriptor);
    }

    /** The table of the library the ORT jar loaded (loading it first if nothing else has). */
    static synchronized OrtApi get() {
        if (instance == null) {
            OrtEnvironment.getEnvironment();
            long address = JavaApiHandles.apiTable();
            instance = new OrtApi(MemorySegment.ofAddress(address).reinterpret(ADDRESS.byteSize() * TABLE_SIZE));
        }
        return instance;
    }

    /** Throws ORT's error, if {@code status} holds one, as an {@link OrtException}; releases the status. */
    void check(long statusAddress) throws OrtException {
        if (statusAddress == 0) {
            return;
        }
        MemorySegment status = MemorySegment.ofAddress(statusAddress);
        try {
            int code = (int) getErrorCode.invokeExact(status);
            MemorySegment message = (MemorySegment) getErrorMessage.invokeExact(status);
            String text = message.reinterpret(Long.MAX_VALUE).getString(0);
            throw new OrtException(code, text);
        } catch (OrtException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read an ORT status", e);
        } finally {
            invokeVoid(releaseStatus, status);
        }
    }

    /** Calls a {@code Release*} function, which takes one pointer and cannot fail. */
    void invokeVoid(MethodHandle release, MemorySegment pointer) {
        try {
            release.invokeExact(pointer);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("ORT release call failed", e);
        }
    }

    /** Runs a {@code create*(…, T** out)} call whose arguments are already bound, returning {@code *out}. */
    MemorySegment create(Creator call) throws OrtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check(call.invoke(out));
            MemorySegment created = out.get(ADDRESS, 0);
            if (created.equals(MemorySegment.NULL)) {
                throw new OrtException("ORT returned no object and no error");
            }
            return created;
        } catch (OrtException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("ORT call failed", e);
        }
    }

    @FunctionalInterface
    interface Creator {
        long invoke(MemorySegment out) throws Throwable;
    }

    /**
     * The handles the ORT jar keeps in private fields: the API table its JNI layer got from
     * {@code OrtGetApiBase()->GetApi(ORT_API_VERSION)}, and each session's {@code OrtSession*}. Reading them is the
     * one place this binding depends on the jar's internals; a jar that renames them fails here, with this message,
     * at the first use (the binding tests run on every build).
     */
    static final class JavaApiHandles {
        private static final Field API = field("ai.onnxruntime.OnnxRuntime", "ortApiHandle");
        private static final Field SESSION = field("ai.onnxruntime.OrtSession", "nativeHandle");
        private static final Field SESSION_CLOSED = field("ai.onnxruntime.OrtSession", "closed");

        private JavaApiHandles() {}

        private static Field field(String type, String name) {
            try {
                Field field = Class.forName(type, true, OrtEnvironment.class.getClassLoader())
                        .getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException(
                        "this ONNX Runtime jar ("
                                + OrtEnvironment.class.getPackage().getImplementationVersion() + ") has no " + type
                                + "." + name + ", which the C API binding "
                                + "reads: use the ORT version the project pins",
                        e);
            }
        }

        static long apiTable() {
            try {
                long address = API.getLong(null);
                if (address == 0) {
                    throw new IllegalStateException("ONNX Runtime is not initialised (no API table)");
                }
                return address;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        static long session(ai.onnxruntime.OrtSession session) {
            try {
                if (SESSION_CLOSED.getBoolean(session)) {
                    throw new IllegalStateException("the ORT session is closed");
                }
                return SESSION.getLong(session);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        static boolean closed(ai.onnxruntime.OrtSession session) {
            try {
                return SESSION_CLOSED.getBoolean(session);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
