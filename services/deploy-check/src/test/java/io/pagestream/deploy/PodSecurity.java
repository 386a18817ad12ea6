package io.pagestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pod Security Standard "restricted" for every pod template (Deployments, StatefulSets, Jobs; init containers
 * included), plus what pagestream adds: a read-only root filesystem with every path the service writes on a volume,
 * and the numeric user and group of the image's Dockerfile.
 */
final class PodSecurity {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "Job");
    private static final Pattern USER = Pattern.compile("(?m)^USER (\\d+):(\\d+)\\s*$");

    /**
     * Settings naming a directory the service writes to, each with the condition under which it writes there; such
     * a directory must lie on a writable volume, since the root filesystem is read-only. Those left at their
     * defaults are under java.io.tmpdir, which every container mounts.
     */
    private static final List<String> WRITTEN_DIRECTORIES = List.of(
            "KAFKA_STREAMS_STATE_DIR", "PAGESTREAM_INGEST_WORK_DIRECTORY", "QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY");

    private PodSecurity() {}

    /** The image's user and group, from the last {@code USER uid:gid} of its Dockerfile. */
    record User(long uid, long gid) {
        static User of(String dockerfile) {
            Matcher m = USER.matcher(dockerfile);
            User last = null;
            while (m.find()) {
                last = new User(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            }
            if (last == null) {
                throw new IllegalArgumentException("no numeric USER uid:gid in the Dockerfile");
            }
            return last;
        }
    }

    /** The user each pagestream image runs as, by image. */
    static Map<String, User> imageUsers() {
        Map<String, User> users = new HashMap<>();
        Service.ALL.forEach(s -> users.put(s.image(), User.of(Repo.read(s.dockerfile()))));
        users.put(SchemasJobTest.CLI_IMAGE, User.of(Repo.read(Repo.DOCKER.resolve("cli.Dockerfile"))));
        return users;
    }

    static List<String> problems(List<JsonNode> docs) {
        Map<String, User> users = imageUsers();
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : docs) {
            if (!WORKLOADS.contains(doc.path("kind").asText())) {
                continue;
            }
            String workload =
                    doc.path("kind").asText() + " " + doc.at("/metadata/name").asText();
            JsonNode pod = doc.at("/spec/template/spec");
            for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (pod.path(field).asBoolean(false)) {
                    problems.add(workload + ": " + field);
                }
            }
            JsonNode podContext = pod.path("securityContext");
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode c : pod.path(list)) {
                    String where = workload + " " + list + "/" + c.path("name").asText();
                    problems.addAll(containerProblems(
                            where, c, podContext, doc, users.get(c.path("image").asText())));
                }
            }
            boolean ours =
                    pod.path("containers").findValuesAsText("image").stream().anyMatch(users::containsKey);
            if (ours && doc.path("kind").asText().equals("StatefulSet")) {
                User user = users.get(pod.at("/containers/0/image").asText());
                if (user != null && podContext.path("fsGroup").asLong(-1) != user.gid()) {
                    problems.add(workload + ": fsGroup must be the image's group " + user.gid()
                            + " (its volumes are written by that group)");
                }
            }
        }
        return problems;
    }

    private static List<String> containerProblems(
            String where, JsonNode c, JsonNode podContext, JsonNode workload, User imageUser) {
        List<String> problems = new ArrayList<>();
        JsonNode own = c.path("securityContext");
        if (!effective(own, podContext, "runAsNonRoot").asBoolean(false)) {
            problems.add(where + ": runAsNonRoot must be true");
        }
        JsonNode uid = effective(own, podContext, "runAsUser");
        if (!uid.isIntegralNumber() || uid.asLong() == 0) {
            problems.add(where + ": runAsUser must be a numeric non-root user, is " + uid);
        } else if (imageUser != null && uid.asLong() != imageUser.uid()) {
            problems.add(where + ": runAsUser " + uid + " is not the image's user " + imageUser.uid());
        }
        if (imageUser != null && effective(own, podContext, "runAsGroup").asLong(-1) != imageUser.gid()) {
            problems.add(where + ": runAsGroup must be the image's group " + imageUser.gid());
        }
        String seccomp =
                effective(own, podContext, "seccompProfile").path("type").asText();
        if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
            problems.add(
                    where + ": seccompProfile must be RuntimeDefault, is " + (seccomp.isEmpty() ? "unset" : seccomp));
        }
        if (!own.path("allowPrivilegeEscalation").isBoolean()
                || own.path("allowPrivilegeEscalation").asBoolean()) {
            problems.add(where + ": allowPrivilegeEscalation must be false");
        }
        if (own.path("privileged").asBoolean(false)) {
            problems.add(where + ": privileged");
        }
        List<String> dropped = new ArrayList<>();
        own.at("/capabilities/drop").forEach(d -> dropped.add(d.asText()));
        if (!dropped.contains("ALL") || own.at("/capabilities/add").size() > 0) {
            problems.add(where + ": capabilities must drop ALL and add none");
        }
        if (!own.path("readOnlyRootFilesystem").asBoolean(false)) {
            problems.add(where + ": readOnlyRootFilesystem must be true");
        }
        List<String> writable = writableMounts(c, workload);
        if (!writable.contains("/tmp")) {
            problems.add(where + ": /tmp (java.io.tmpdir) must be a writable emptyDir");
        }
        for (JsonNode env : c.path("env")) {
            String name = env.path("name").asText();
            if (WRITTEN_DIRECTORIES.contains(name) && !under(env.path("value").asText(), writable)) {
                problems.add(where + ": " + name + "=" + env.path("value").asText() + " is on no writable volume");
            }
        }
        return problems;
    }

    private static JsonNode effective(JsonNode container, JsonNode pod, String field) {
        return container.has(field) ? container.path(field) : pod.path(field);
    }

    /** Mount paths of the container's writable volumes (emptyDir or a claim, not mounted read-only). */
    private static List<String> writableMounts(JsonNode c, JsonNode workload) {
        JsonNode pod = workload.at("/spec/template/spec");
        List<String> claimTemplates = new ArrayList<>();
        workload.at("/spec/volumeClaimTemplates")
                .forEach(t -> claimTemplates.add(t.at("/metadata/name").asText()));
        List<String> paths = new ArrayList<>();
        for (JsonNode mount : c.path("volumeMounts")) {
            if (mount.path("readOnly").asBoolean(false)) {
                continue;
            }
            String name = mount.path("name").asText();
            boolean writable = false;
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.path("name").asText().equals(name)) {
                    writable = volume.has("emptyDir")
                            || (volume.has("persistentVolumeClaim")
                                    && !volume.at("/persistentVolumeClaim/readOnly")
                                            .asBoolean(false));
                }
            }
            writable |= claimTemplates.contains(name);
            if (writable) {
                paths.add(mount.path("mountPath").asText());
            }
        }
        return paths;
    }

    private static boolean under(String path, List<String> mounts) {
        return mounts.stream().anyMatch(m -> path.equals(m) || path.startsWith(m.endsWith("/") ? m : m + "/"));
    }
}
