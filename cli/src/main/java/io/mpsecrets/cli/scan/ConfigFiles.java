package io.mpsecrets.cli.scan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the settings of the configuration files an application ships, by kind: properties, YAML (Kubernetes
 * manifests included: an {@code env} entry's {@code value} is keyed by its {@code name}, and the {@code data} and
 * {@code stringData} of a {@code kind: Secret} document are marked), {@code .env} files and XML ({@code server.xml},
 * {@code standalone.xml}, {@code persistence.xml}: attributes, {@code <property name=".." value=".."/>} pairs and
 * elements holding text). Line-based, as a scanner must be to name lines; a construct it does not know yields no
 * entry, never an error.
 */
final class ConfigFiles {

    /** How a file's settings are written. */
    enum Kind {
        PROPERTIES,
        YAML,
        DOTENV,
        XML,
        /** Not a configuration file: only the line rules and the exposed values apply. */
        OTHER
    }

    private static final Pattern YAML_KEY = Pattern.compile("^([^:#'\"{}\\[\\]]+?|\"[^\"]*\"|'[^']*'):(?:\\s+(.*))?$");
    private static final Pattern XML_PROPERTY =
            Pattern.compile("<property\\s+name\\s*=\\s*\"([^\"]*)\"\\s+value\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern XML_ATTRIBUTE = Pattern.compile("([A-Za-z_][\\w:.-]*)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern XML_ELEMENT = Pattern.compile("<([A-Za-z_][\\w:.-]*)>([^<]+)</\\1>");

    private ConfigFiles() {}

    static Kind kind(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".properties")) {
            return Kind.PROPERTIES;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Kind.YAML;
        }
        if (name.equals(".env") || name.endsWith(".env") || name.startsWith(".env.")) {
            return Kind.DOTENV;
        }
        if (name.endsWith(".xml")) {
            return Kind.XML;
        }
        return Kind.OTHER;
    }

    static List<ConfigEntry> entries(Kind kind, List<String> lines) {
        return switch (kind) {
            case PROPERTIES -> properties(lines);
            case YAML -> yaml(lines);
            case DOTENV -> dotenv(lines);
            case XML -> xml(lines);
            case OTHER -> List.of();
        };
    }

    private static List<ConfigEntry> properties(List<String> lines) {
        List<ConfigEntry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int first = i;
            String line = lines.get(i).stripLeading();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (endsWithContinuation(line) && i + 1 < lines.size()) {
                logical.append(line, 0, line.length() - 1);
                line = lines.get(++i).stripLeading();
            }
            logical.append(line);
            String text = logical.toString();
            int split = -1;
            for (int c = 0; c < text.length(); c++) {
                char ch = text.charAt(c);
                if (ch == '\\') {
                    c++;
                } else if (ch == '=' || ch == ':' || Character.isWhitespace(ch)) {
                    split = c;
                    break;
                }
            }
            String key = split < 0 ? text : text.substring(0, split);
            String value = split < 0 ? "" : text.substring(split + 1).strip();
            if (split >= 0
                    && Character.isWhitespace(text.charAt(split))
                    && (value.startsWith("=") || value.startsWith(":"))) {
                value = value.substring(1).strip();
            }
            out.add(new ConfigEntry(key.replace("\\", ""), value, first + 1, false));
        }
        return out;
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static List<ConfigEntry> dotenv(List<String> lines) {
        List<ConfigEntry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            out.add(new ConfigEntry(
                    line.substring(0, eq).strip(),
                    unquote(line.substring(eq + 1).strip()),
                    i + 1,
                    false));
        }
        return out;
    }

    /** A key on the YAML path: its indentation and name. */
    private record Level(int indent, String key) {}

    private static List<ConfigEntry> yaml(List<String> lines) {
        List<ConfigEntry> out = new ArrayList<>();
        List<ConfigEntry> document = new ArrayList<>();
        boolean secretDocument = false;
        Deque<Level> path = new ArrayDeque<>();
        Map<Integer, String> envNames = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (raw.startsWith("---")) {
                flush(out, document, secretDocument);
                secretDocument = false;
                path.clear();
                envNames.clear();
                continue;
            }
            String trimmed = raw.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int indent = raw.length() - raw.stripLeading().length();
            String content = trimmed;
            boolean item = false;
            while (content.startsWith("- ") || content.equals("-")) {
                item = true;
                content = content.substring(1).stripLeading();
                indent = raw.indexOf(content.isEmpty() ? "-" : content);
            }
            while (!path.isEmpty() && path.peek().indent() >= indent) {
                path.pop();
            }
            if (item) {
                envNames.remove(indent);
            }
            Matcher key = YAML_KEY.matcher(content);
            if (!key.matches()) {
                continue;
            }
            String name = unquote(key.group(1).strip());
            String value = key.group(2) == null ? "" : stripComment(key.group(2).strip());
            if (value.isEmpty()
                    || value.equals("|")
                    || value.equals(">")
                    || value.startsWith("|-")
                    || value.startsWith(">-")) {
                path.push(new Level(indent, name));
                continue;
            }
            value = unquote(value);
            if (name.equals("name")) {
                envNames.put(indent, value);
            }
            if (path.isEmpty() && name.equals("kind") && value.equals("Secret")) {
                secretDocument = true;
            }
            String full =
                    name.equals("value") && envNames.containsKey(indent) ? envNames.get(indent) : dotted(path, name);
            document.add(new ConfigEntry(full, value, i + 1, false));
        }
        flush(out, document, secretDocument);
        return out;
    }

    private static void flush(List<ConfigEntry> out, List<ConfigEntry> document, boolean secretDocument) {
        for (ConfigEntry entry : document) {
            boolean secretData = secretDocument
                    && (entry.key().startsWith("data.") || entry.key().startsWith("stringData."));
            out.add(secretData ? new ConfigEntry(entry.key(), entry.value(), entry.line(), true) : entry);
        }
        document.clear();
    }

    private static String dotted(Deque<Level> path, String name) {
        StringBuilder out = new StringBuilder();
        path.descendingIterator()
                .forEachRemaining(level -> out.append(level.key()).append('.'));
        return out.append(name).toString();
    }

    private static List<ConfigEntry> xml(List<String> lines) {
        List<ConfigEntry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher property = XML_PROPERTY.matcher(line);
            boolean pairs = false;
            while (property.find()) {
                pairs = true;
                out.add(new ConfigEntry(unescape(property.group(1)), unescape(property.group(2)), i + 1, false));
            }
            if (!pairs) {
                Matcher attribute = XML_ATTRIBUTE.matcher(line);
                while (attribute.find()) {
                    out.add(new ConfigEntry(attribute.group(1), unescape(attribute.group(2)), i + 1, false));
                }
            }
            Matcher element = XML_ELEMENT.matcher(line);
            while (element.find()) {
                out.add(new ConfigEntry(
                        element.group(1), unescape(element.group(2).strip()), i + 1, false));
            }
        }
        return out;
    }

    private static String stripComment(String value) {
        if (value.startsWith("\"") || value.startsWith("'")) {
            return value;
        }
        int hash = value.indexOf(" #");
        return hash < 0 ? value : value.substring(0, hash).strip();
    }

    private static String unquote(String value) {
        if (value.length() >= 2
                && ((value.startsWith("\"") && value.endsWith("\""))
                        || (value.startsWith("'") && value.endsWith("'")))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
