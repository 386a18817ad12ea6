package io.pagestream.worker;

/** Where the worker is in its life. Ready means {@link #RUNNING}: model loaded, warmed up, consuming. */
public enum WorkerState {
    /** Converting or loading the model, warming it up. */
    STARTING,
    RUNNING,
    /** Finishing or handing back in-flight pages. */
    STOPPING,
    STOPPED,
    /** The model could not be loaded, or a stage broke: the process should be restarted. */
    FAILED
}
