package io.pagestream.cli.schemas;

import io.pagestream.cli.schemas.SubjectReport.Outcome;
import io.pagestream.cli.schemas.SubjectReport.Registered;
import io.pagestream.registry.CompatibilityVerdict;
import io.pagestream.registry.RegistryException;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.SubjectVersion;
import io.pagestream.topics.SchemaPolicy;
import io.pagestream.topics.SchemaPolicy.Contract;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings the registry in line with the contracts: each subject's compatibility level, then each schema that is not
 * registered yet. All or nothing for the schemas: when one contract is refused, none is registered, so a deployment
 * never runs with half of a new set of contracts.
 */
public final class SchemaLifecycle {
    private final SchemaRegistryClient registry;
    private final List<Contract> contracts;

    /**
     * Registers every contract of this build as {@code schemas register} does, for the local stack: it runs the
     * services with auto-registration off, as production does, so {@code up} and {@code demo} prove that the
     * registered contracts are all the services need.
     *
     * @return how many schemas were new
     * @throws IllegalStateException naming each refused subject and why
     */
    public static int registerContracts(SchemaRegistryClient registry) {
        List<SubjectReport> reports = new SchemaLifecycle(registry, SchemaPolicy.contracts()).register();
        List<String> refused = reports.stream()
                .filter(r -> r.outcome() == Outcome.INCOMPATIBLE)
                .map(r -> r.subject() + ": " + r.reason().orElse("incompatible"))
                .toList();
        if (!refused.isEmpty()) {
            throw new IllegalStateException("the registry refused " + String.join("; ", refused));
        }
        return (int)
                reports.stream().filter(r -> r.outcome() == Outcome.REGISTERED).count();
    }

    SchemaLifecycle(SchemaRegistryClient registry, List<Contract> contracts) {
        this.registry = registry;
        this.contracts = List.copyOf(contracts);
    }

    /** What {@link #register} would do, changing nothing. */
    List<SubjectReport> check() {
        return contracts.stream()
                .map(c -> inspect(c, registry.compatibility(c.subject()), false))
                .toList();
    }

    /**
     * Sets every subject's level first (so the registry tests a new version under the policy's level, not its
     * default), then registers the new schemas if none is refused.
     */
    List<SubjectReport> register() {
        List<String> before = new ArrayList<>();
        for (Contract contract : contracts) {
            String level = registry.compatibility(contract.subject());
            before.add(level);
            if (!level.equals(contract.compatibility().name())) {
                registry.setCompatibility(
                        contract.subject(), contract.compatibility().name());
            }
        }
        List<SubjectReport> plan = new ArrayList<>();
        for (int i = 0; i < contracts.size(); i++) {
            plan.add(inspect(contracts.get(i), before.get(i), true));
        }
        if (plan.stream().anyMatch(r -> r.outcome() == Outcome.INCOMPATIBLE)) {
            return plan;
        }
        List<SubjectReport> done = new ArrayList<>();
        for (int i = 0; i < contracts.size(); i++) {
            SubjectReport planned = plan.get(i);
            done.add(planned.outcome() == Outcome.WOULD_REGISTER ? apply(contracts.get(i), planned) : planned);
        }
        return done;
    }

    private SubjectReport inspect(Contract contract, String registryLevel, boolean levelSet) {
        Optional<SubjectVersion> found = lookup(contract);
        if (found.isPresent()) {
            SubjectVersion version = found.get();
            return report(
                    contract,
                    registryLevel,
                    Outcome.UNCHANGED,
                    Optional.of(new Registered(version.id(), version.version())),
                    Optional.empty());
        }
        boolean levelPending =
                !levelSet && !registryLevel.equals(contract.compatibility().name());
        // Until the level is set, the registry would test under its own level: decide under the policy's here.
        CompatibilityVerdict verdict = levelPending
                ? new CompatibilityVerdict(true, List.of())
                : registry.checkCompatibility(contract.subject(), contract.schema());
        List<String> reasons = verdict.compatible() && !levelPending
                ? List.of()
                : Incompatibilities.of(contract.compatibility(), contract.schema(), registeredVersions(contract));
        if (verdict.compatible() && reasons.isEmpty()) {
            return report(contract, registryLevel, Outcome.WOULD_REGISTER, Optional.empty(), Optional.empty());
        }
        List<String> all = new ArrayList<>(verdict.messages());
        all.addAll(reasons);
        String reason = "not " + contract.compatibility() + " compatible with the registered versions"
                + (levelPending ? " (tested here: the registry's level is still " + registryLevel + ")" : "")
                + (all.isEmpty() ? "" : ": " + String.join("; ", all));
        return report(contract, registryLevel, Outcome.INCOMPATIBLE, Optional.empty(), Optional.of(reason));
    }

    private SubjectReport apply(Contract contract, SubjectReport planned) {
        try {
            registry.register(contract.subject(), contract.schema());
        } catch (RegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            // Refused although the check passed: another version arrived in between. The registry's message says why.
            return report(
                    contract,
                    planned.registryCompatibility(),
                    Outcome.INCOMPATIBLE,
                    Optional.empty(),
                    Optional.of(e.getMessage()));
        }
        SubjectVersion version = registry.lookup(contract.subject(), contract.schema());
        return report(
                contract,
                planned.registryCompatibility(),
                Outcome.REGISTERED,
                Optional.of(new Registered(version.id(), version.version())),
                Optional.empty());
    }

    private Optional<SubjectVersion> lookup(Contract contract) {
        try {
            return Optional.of(registry.lookup(contract.subject(), contract.schema()));
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private List<SubjectVersion> registeredVersions(Contract contract) {
        List<Integer> versions;
        try {
            versions = registry.versions(contract.subject());
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                return List.of();
            }
            throw e;
        }
        return versions.stream()
                .map(v -> registry.version(contract.subject(), v))
                .toList();
    }

    private static SubjectReport report(
            Contract contract,
            String registryLevel,
            Outcome outcome,
            Optional<Registered> registered,
            Optional<String> reason) {
        return new SubjectReport(
                contract.subject(), contract.compatibility(), registryLevel, outcome, registered, reason);
    }
}
