package io.mpsecrets.cli.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Scans files, trees and a git repository's history with the {@link PlaintextRules} (configuration files, by kind)
 * and, when the application's values were given, {@link ExposedValues} (any text). Bounded: a file or blob larger
 * than the limit is scanned up to it, lines are cut into pieces of at most {@value #MAX_LINE} characters, binary
 * files (a NUL in their first 8 KiB) are skipped, and history is read one distinct blob at a time, each once.
 */
public final class Scanner {

    static final int MAX_LINE = 65_536;
    private static final int SNIFF = 8192;

    private final PlaintextRules rules;
    private final Optional<ExposedValues> values;
    private final long maxFileBytes;
    private final long maxCommits;
    private final List<ScanFinding> findings = new ArrayList<>();
    private int filesScanned;
    private int blobsScanned;
    private int commitsWalked;

    Scanner(PlaintextRules rules, Optional<ExposedValues> values, long maxFileBytes, long maxCommits) {
        this.rules = rules;
        this.values = values;
        this.maxFileBytes = maxFileBytes;
        this.maxCommits = maxCommits;
    }

    List<ScanFinding> findings() {
        return findings;
    }

    /** What was read: files, history blobs and commits. */
    String summary() {
        return filesScanned + " file(s)"
                + (commitsWalked > 0
                        ? ", " + blobsScanned + " file version(s) in " + commitsWalked + " commit(s)"
                        : "");
    }

    /** Scans a file, or every file under a directory ({@code .git} aside), naming files relative to {@code root}. */
    void scanTree(Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            scanFile(root, root.getFileName().toString());
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    scanFile(file, root.relativize(file).toString().replace('\\', '/'));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void scanFile(Path file, String name) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            scan(in, name, null);
            filesScanned++;
        }
    }

    /**
     * Scans every distinct file version in the history of the repository at {@code dir} (all refs), oldest commit
     * first, so that a finding names the commit that brought the version in.
     */
    void scanHistory(Path dir) throws IOException {
        try (Repository repository = new FileRepositoryBuilder()
                        .setMustExist(true)
                        .findGitDir(dir.toFile())
                        .build();
                RevWalk walk = new RevWalk(repository)) {
            for (Ref ref : repository.getRefDatabase().getRefs()) {
                ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                if (id != null) {
                    try {
                        walk.markStart(walk.parseCommit(id));
                    } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException notACommit) {
                        // a tag of a tree or blob: not history
                    }
                }
            }
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.REVERSE, true);
            Set<ObjectId> seen = new HashSet<>();
            for (RevCommit commit : walk) {
                if (++commitsWalked > maxCommits) {
                    throw new IOException("more than " + maxCommits + " commits: scan a narrower range");
                }
                String shortId = commit.abbreviate(12).name();
                try (TreeWalk tree = new TreeWalk(repository)) {
                    tree.addTree(commit.getTree());
                    tree.setRecursive(true);
                    while (tree.next()) {
                        ObjectId blob = tree.getObjectId(0);
                        if (!seen.add(blob)
                                || tree.getFileMode(0).getObjectType() != org.eclipse.jgit.lib.Constants.OBJ_BLOB) {
                            continue;
                        }
                        ObjectLoader loader = repository.open(blob);
                        try (InputStream in = loader.isLarge()
                                ? loader.openStream()
                                : new ByteArrayInputStream(loader.getCachedBytes())) {
                            scan(in, tree.getPathString(), shortId);
                            blobsScanned++;
                        }
                    }
                }
            }
        }
    }

    /** Scans one file's content, read as UTF-8 (malformed bytes replaced), up to the size limit. */
    void scan(InputStream raw, String name, String commit) throws IOException {
        InputStream in = new java.io.BufferedInputStream(raw, SNIFF);
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        for (byte b : head) {
            if (b == 0) {
                return; // binary
            }
        }
        in.reset();
        Reader reader = new java.io.BufferedReader(new InputStreamReader(
                new BoundedInput(in, maxFileBytes),
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)));
        ConfigFiles.Kind kind = ConfigFiles.kind(name.substring(name.lastIndexOf('/') + 1));
        List<String> lines = kind == ConfigFiles.Kind.OTHER ? null : new ArrayList<>();
        int number = 0;
        StringBuilder line = new StringBuilder();
        int c;
        boolean more = true;
        while (more) {
            c = reader.read();
            more = c >= 0;
            if (c == '\n' || !more || line.length() >= MAX_LINE) {
                if (c >= 0 && c != '\n') {
                    line.append((char) c);
                }
                if (more || line.length() > 0) {
                    number++;
                    String text = line.toString();
                    if (text.endsWith("\r")) {
                        text = text.substring(0, text.length() - 1);
                    }
                    scanLine(text, name, commit, number);
                    if (lines != null) {
                        lines.add(text);
                    }
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        if (lines != null) {
            for (ConfigEntry entry : ConfigFiles.entries(kind, lines)) {
                ScanRule rule = rules.check(entry);
                if (rule != null) {
                    findings.add(new ScanFinding(name, commit, entry.line(), rule, entry.key()));
                }
            }
        }
    }

    private void scanLine(String line, String name, String commit, int number) {
        for (ScanRule rule : PlaintextRules.checkLine(line)) {
            findings.add(new ScanFinding(name, commit, number, rule, rule.id()));
        }
        values.ifPresent(v -> v.find(line)
                .forEach(property ->
                        findings.add(new ScanFinding(name, commit, number, ScanRule.EXPOSED_VALUE, property))));
    }

    /** At most {@code limit} bytes of a stream: what lies beyond is not read. */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private long left;

        BoundedInput(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
