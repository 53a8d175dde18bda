package io.mpsecrets.cli.scan;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.validate.SecretNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One scan: the rules, the application's values as fingerprints, and what was found so far. */
public final class ScanRun {

    /** A file or blob is read up to this size (logs can be large: the whole of one this size is scanned). */
    static final long MAX_FILE_BYTES = 256L * 1024 * 1024;
    /** History deeper than this is refused rather than walked for hours. */
    static final long MAX_COMMITS = 200_000;

    private final Scanner scanner;

    private ScanRun(Scanner scanner) {
        this.scanner = scanner;
    }

    /**
     * @param values the application's secret values by property, made fingerprints here; the map is not kept
     * @param lookForValues whether values were given (a config with no secret still looks for none)
     */
    public static ScanRun start(Map<String, String> values, boolean lookForValues, int minLength) {
        PlaintextRules rules = new PlaintextRules(SecretNames.read(new Settings(name -> Optional.empty())));
        Optional<ExposedValues> exposed =
                lookForValues ? Optional.of(ExposedValues.of(values, minLength)) : Optional.empty();
        return new ScanRun(new Scanner(rules, exposed, MAX_FILE_BYTES, MAX_COMMITS));
    }

    public void scanTree(Path path) throws IOException {
        scanner.scanTree(path);
    }

    /** Scans the history of the repository {@code path} is in; nothing when it is in none. */
    public void scanHistory(Path path) throws IOException {
        scanner.scanHistory(path);
    }

    public List<ScanFinding> findings() {
        return List.copyOf(scanner.findings());
    }

    public String summary() {
        return scanner.summary();
    }

    public String sarif(String version) {
        return Sarif.text(Sarif.of(scanner.findings(), version));
    }
}
