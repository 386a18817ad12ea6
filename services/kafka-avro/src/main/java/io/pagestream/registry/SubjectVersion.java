package io.pagestream.registry;

import org.apache.avro.Schema;

/** One registered version of a subject: its global schema id, its version number within the subject, the schema. */
public record SubjectVersion(String subject, int id, int version, Schema schema) {}
