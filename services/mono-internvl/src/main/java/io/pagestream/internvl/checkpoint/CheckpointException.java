package io.pagestream.internvl.checkpoint;

/**
 * A checkpoint that cannot be used: unreadable, malformed, or describing a model this engine does not support.
 * Unchecked because no caller can recover from a bad checkpoint; the message names the file, key or tensor at fault.
 */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
