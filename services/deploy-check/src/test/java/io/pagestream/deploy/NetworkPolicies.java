package io.pagestream.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' NetworkPolicy semantics for TCP connections between pods, for the selectors these manifests use:
 * matchLabels only (anything else is refused, so the verdict is never a guess). A connection is allowed when the
 * source may send it (no egress policy selects the source, or one allows it) and the destination may receive it.
 */
record NetworkPolicies(List<NetworkPolicy> policies) {

    /** A pod: its namespace's labels, its own labels, and whether it lives in the policies' namespace. */
    record Pod(String name, boolean sameNamespace, Map<String, String> namespaceLabels, Map<String, String> labels) {}

    boolean allows(Pod from, Pod to, int port) {
        return (!from.sameNamespace() || permitted(from, to, port, true))
                && (!to.sameNamespace() || permitted(to, from, port, false));
    }

    /** Whether the policies selecting {@code subject} in one direction let the connection with {@code peer} through. */
    private boolean permitted(Pod subject, Pod peer, int port, boolean egress) {
        String type = egress ? "Egress" : "Ingress";
        List<NetworkPolicy> selecting = policies.stream()
                .filter(p -> types(p).contains(type) && matches(p.getSpec().getPodSelector(), subject.labels()))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        for (NetworkPolicy policy : selecting) {
            if (egress) {
                for (var rule : policy.getSpec().getEgress()) {
                    if (peersMatch(rule.getTo(), peer) && portsMatch(rule.getPorts(), port)) {
                        return true;
                    }
                }
            } else {
                for (var rule : policy.getSpec().getIngress()) {
                    if (peersMatch(rule.getFrom(), peer) && portsMatch(rule.getPorts(), port)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> types(NetworkPolicy policy) {
        List<String> types = policy.getSpec().getPolicyTypes();
        if (types == null || types.isEmpty()) {
            return policy.getSpec().getEgress().isEmpty() ? List.of("Ingress") : List.of("Ingress", "Egress");
        }
        return types;
    }

    private static boolean peersMatch(List<NetworkPolicyPeer> peers, Pod pod) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                throw new IllegalArgumentException("ipBlock peers are not evaluated: " + peer);
            }
            boolean namespaceOk = peer.getNamespaceSelector() == null
                    ? pod.sameNamespace()
                    : matches(peer.getNamespaceSelector(), pod.namespaceLabels());
            boolean podOk = peer.getPodSelector() == null || matches(peer.getPodSelector(), pod.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portsMatch(List<NetworkPolicyPort> ports, int port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            IntOrString value = p.getPort();
            if (value != null && value.getStrVal() != null) {
                throw new IllegalArgumentException("named ports are not evaluated: " + value.getStrVal());
            }
            boolean tcp = p.getProtocol() == null || p.getProtocol().equals("TCP");
            if (tcp && (value == null || value.getIntVal() == port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchExpressions() != null
                && !selector.getMatchExpressions().isEmpty()) {
            throw new IllegalArgumentException("matchExpressions are not evaluated: " + selector);
        }
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
