package io.pagestream.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration keys a service reads, derived from the service itself:
 * <ul>
 * <li>every key of its application.properties (any profile), which covers the Quarkus keys it sets;</li>
 * <li>every leaf of its {@code @ConfigMapping} interfaces, walked like SmallRye names them (kebab-case methods,
 * {@code @WithName}, nested groups; a {@code Map} is a {@code prefix.*} wildcard);</li>
 * <li>every key referenced as {@code ${key}} or {@code ${key:default}} in those values and defaults, since such
 * a reference is a read (e.g. ingest's {@code ${pagestream.ingest.auth.enabled:false}});</li>
 * <li>{@link #EXTENSION_KEYS}: keys read by Quarkus extensions that the manifests set.</li>
 * </ul>
 * An environment variable matches a key by SmallRye's rule: the key upper-cased with every character other than a
 * letter or digit replaced by an underscore.
 */
final class ConfigKeys {

    /**
     * Keys of Quarkus extensions the manifests set without the service's own files naming them:
     * quarkus.otel.exporter.otlp.endpoint (quarkus-opentelemetry). Kafka's broker list is not one of them: the
     * services read it as the shell's pagestream.kafka.bootstrap-servers only.
     */
    static final Set<String> EXTENSION_KEYS = Set.of("quarkus.otel.exporter.otlp.endpoint");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\"]+)(?::[^}]*)?}");
    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");

    private final Set<String> keys = new TreeSet<>();
    private final Set<String> mapPrefixes = new TreeSet<>();

    static ConfigKeys of(Service service) {
        ConfigKeys known = new ConfigKeys();
        service.properties().forEach((k, v) -> {
            known.keys.add(PROFILE.matcher(k.toString()).replaceFirst(""));
            known.references(v.toString());
        });
        for (Class<?> mapping : service.configMappings()) {
            known.walk(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping);
        }
        known.keys.addAll(EXTENSION_KEYS);
        return known;
    }

    Set<String> keys() {
        return keys;
    }

    Set<String> mapPrefixes() {
        return mapPrefixes;
    }

    /** Whether an environment variable sets one of these keys. */
    boolean acceptsEnv(String env) {
        return keys.stream().anyMatch(k -> envName(k).equals(env))
                || mapPrefixes.stream()
                        .anyMatch(p -> env.startsWith(envName(p) + "_") && env.length() > p.length() + 1);
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private void walk(String prefix, Class<?> group) {
        for (Method method : group.getMethods()) {
            if (method.isDefault()
                    || method.getParameterCount() > 0
                    || method.isSynthetic()
                    || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName named = method.getAnnotation(WithName.class);
            String key = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
            WithDefault defaultValue = method.getAnnotation(WithDefault.class);
            if (defaultValue != null) {
                references(defaultValue.value());
            }
            Class<?> type = method.getReturnType();
            if (Map.class.isAssignableFrom(type)) {
                mapPrefixes.add(key);
            } else if (isGroup(type)) {
                walk(key, type);
            } else if (type == java.util.Optional.class && isGroup(argument(method.getGenericReturnType()))) {
                walk(key, (Class<?>) argument(method.getGenericReturnType()));
            } else {
                keys.add(key);
            }
        }
    }

    private static boolean isGroup(Type type) {
        return type instanceof Class<?> c && c.isInterface() && c.getName().startsWith("io.pagestream.");
    }

    private static Type argument(Type type) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }

    private void references(String value) {
        Matcher m = REFERENCE.matcher(value);
        while (m.find()) {
            String key = m.group(1);
            // Environment-only names (HOSTNAME) and JVM properties (java.io.tmpdir) are not configuration keys.
            if (key.contains(".") && !key.startsWith("java.")) {
                keys.add(key);
            }
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
