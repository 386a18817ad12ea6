package io.pagestream.internvl.engine;

/** A request the engine will not run, refused at submission before any model work. */
public final class RequestRejectedException extends IllegalArgumentException {
    public RequestRejectedException(String message) {
        super(message);
    }
}
