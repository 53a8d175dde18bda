package io.mpsecrets.cli.scan;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Findings as SARIF 2.1.0 (OASIS), the format CI systems read to show findings inline: one run of the tool
 * {@code mpsecrets scan}, its rules, and a result per finding with the file (as of its commit, for history) and line.
 * Messages name the rule and the key or property; no value is ever in them.
 */
final class Sarif {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final String INFORMATION = "https://github.com/mp-secrets/mp-secrets";

    private Sarif() {}

    static JsonObject of(List<ScanFinding> findings, String version) {
        JsonArrayBuilder rules = Json.createArrayBuilder();
        for (ScanRule rule : ScanRule.values()) {
            rules.add(Json.createObjectBuilder()
                    .add("id", rule.id())
                    .add("shortDescription", Json.createObjectBuilder().add("text", rule.description()))
                    .add(
                            "defaultConfiguration",
                            Json.createObjectBuilder().add("level", rule.error() ? "error" : "warning")));
        }
        JsonArrayBuilder results = Json.createArrayBuilder();
        for (ScanFinding finding : findings) {
            String where = finding.commit() == null ? "" : " (in commit " + finding.commit() + ")";
            JsonObjectBuilder location = Json.createObjectBuilder()
                    .add("artifactLocation", Json.createObjectBuilder().add("uri", finding.file()))
                    .add("region", Json.createObjectBuilder().add("startLine", finding.line()));
            results.add(Json.createObjectBuilder()
                    .add("ruleId", finding.rule().id())
                    .add("level", finding.rule().error() ? "error" : "warning")
                    .add(
                            "message",
                            Json.createObjectBuilder()
                                    .add("text", finding.rule().description() + ": " + finding.subject() + where))
                    .add(
                            "locations",
                            Json.createArrayBuilder()
                                    .add(Json.createObjectBuilder().add("physicalLocation", location))));
        }
        JsonObjectBuilder driver = Json.createObjectBuilder()
                .add("name", "mpsecrets scan")
                .add("version", version)
                .add("informationUri", INFORMATION)
                .add("rules", rules);
        JsonObjectBuilder run = Json.createObjectBuilder()
                .add("tool", Json.createObjectBuilder().add("driver", driver))
                .add("results", results);
        return Json.createObjectBuilder()
                .add("$schema", SCHEMA)
                .add("version", "2.1.0")
                .add("runs", Json.createArrayBuilder().add(run))
                .build();
    }

    /** Pretty-printed, for a person who opens the file; the writer is left open. */
    static String text(JsonObject sarif) {
        JsonWriterFactory factory = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
        StringWriter out = new StringWriter();
        try (JsonWriter writer = factory.createWriter(out)) {
            writer.writeObject(sarif);
        }
        return out.toString().strip() + System.lineSeparator();
    }
}
