package io.pagestream.registry;

/**
 * A registry request that failed: the subject it concerned (if any), the HTTP status (0 when the registry could not be
 * reached) and the registry's own error code (e.g. 40401 subject not found, 40403 schema not found, 409 incompatible).
 */
public class RegistryException extends RuntimeException {
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final String subject;
    private final int status;
    private final int errorCode;

    public RegistryException(
            String operation, String subject, int status, int errorCode, String detail, Throwable cause) {
        super(
                operation
                        + (subject == null ? "" : " for subject '" + subject + "'")
                        + (status == 0 ? " could not reach the registry" : " failed with HTTP " + status)
                        + (errorCode == 0 ? "" : " (error " + errorCode + ")")
                        + (detail == null || detail.isBlank() ? "" : ": " + detail),
                cause);
        this.subject = subject;
        this.status = status;
        this.errorCode = errorCode;
    }

    public String subject() {
        return subject;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
