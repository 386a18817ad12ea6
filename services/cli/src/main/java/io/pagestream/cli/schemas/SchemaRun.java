package io.pagestream.cli.schemas;

import io.pagestream.cli.schemas.SubjectReport.Outcome;
import io.pagestream.registry.RegistryException;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.topics.SchemaPolicy.Contract;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/** One run of {@code register} or {@code check}: connect, act, print, and the exit status the outcome calls for. */
final class SchemaRun {
    private SchemaRun() {}

    static int run(
            CommandSpec spec,
            RegistryOptions registry,
            List<Contract> contracts,
            boolean json,
            boolean dryRun,
            boolean expectRegistered,
            Function<SchemaLifecycle, List<SubjectReport>> action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String command = spec.name();
        List<SubjectReport> reports;
        try (SchemaRegistryClient client = new SchemaRegistryClient(registry.config())) {
            reports = action.apply(new SchemaLifecycle(client, contracts));
        } catch (RegistryException | IOException | IllegalArgumentException e) {
            err.println("schemas " + command + " failed: " + e.getMessage());
            err.flush();
            return SchemaExit.FAILED;
        }
        List<SubjectReport> refused = reports.stream()
                .filter(r -> r.outcome() == Outcome.INCOMPATIBLE)
                .toList();
        List<SubjectReport> pending = reports.stream()
                .filter(r -> r.outcome() == Outcome.WOULD_REGISTER || r.compatibilityChanges())
                .toList();
        String result =
                !refused.isEmpty() ? "incompatible" : expectRegistered && !pending.isEmpty() ? "not-registered" : "ok";
        if (json) {
            ReportPrinter.json(out, command, result, reports);
        } else {
            ReportPrinter.text(out, reports, dryRun);
        }
        out.flush();
        for (SubjectReport r : refused) {
            err.println((dryRun ? "Would be refused: " : "Refused: ") + r.subject() + " is incompatible: "
                    + r.reason().orElseThrow());
        }
        if (!refused.isEmpty() && !dryRun) {
            err.println("Nothing was registered.");
        }
        if (result.equals("not-registered")) {
            err.println("Not registered yet: "
                    + String.join(
                            ", ", pending.stream().map(SubjectReport::subject).toList())
                    + " (run pagestream schemas register)");
        }
        err.flush();
        return switch (result) {
            case "incompatible" -> SchemaExit.INCOMPATIBLE;
            case "not-registered" -> SchemaExit.NOT_REGISTERED;
            default -> SchemaExit.OK;
        };
    }
}
