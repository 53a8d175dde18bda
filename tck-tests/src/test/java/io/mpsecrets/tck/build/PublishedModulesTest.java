package io.mpsecrets.tck.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a user adopts is shaped as Java users expect: the BOM names every published module (and nothing else), and
 * every published module's POM says what it is and carries the license, the URL and the SCM (from the parent). A
 * module is published unless it sets {@code maven.deploy.skip} (tests, examples, benchmarks) or is an aggregator.
 */
class PublishedModulesTest {

    private static final Path ROOT = Path.of("..");

    private record Module(Path dir, Document pom) {
        String text(String tag) {
            for (Node child = pom.getDocumentElement().getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && element.getTagName().equals(tag)) {
                    return element.getTextContent().trim();
                }
            }
            return null;
        }
    }

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static List<Module> modules(Path dir) throws Exception {
        List<Module> out = new ArrayList<>();
        Document pom = read(dir.resolve("pom.xml"));
        out.add(new Module(dir, pom));
        // The project's own <modules>, not a plugin's <module> elements (checkstyle's rules have some).
        for (Node child = pom.getDocumentElement().getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element modules && modules.getTagName().equals("modules")) {
                NodeList names = modules.getElementsByTagName("module");
                for (int i = 0; i < names.getLength(); i++) {
                    out.addAll(
                            modules(dir.resolve(names.item(i).getTextContent().trim())));
                }
            }
        }
        return out;
    }

    private static boolean skipsDeploy(Document pom) {
        return pom.getElementsByTagName("maven.deploy.skip").getLength() > 0;
    }

    @Test
    void theBomNamesEveryPublishedModuleAndEachSaysWhatItIs() throws Exception {
        Set<String> published = new TreeSet<>();
        for (Module module : modules(ROOT)) {
            String packaging = module.text("packaging");
            if ((packaging == null || packaging.equals("jar")) && !skipsDeploy(module.pom())) {
                published.add(module.text("artifactId"));
                assertThat(module.text("name")).as(module.dir() + " has a name").isNotBlank();
                assertThat(module.text("description"))
                        .as(module.dir() + " has a description")
                        .isNotBlank();
            }
        }
        assertThat(published).contains("mpsecrets-api", "mpsecrets-impl", "mpsecrets-testkit", "mpsecrets-quarkus");

        Document bom = read(ROOT.resolve("bom/pom.xml"));
        assertThat(bom.getElementsByTagName("parent").getLength())
                .as("the BOM has no parent, so no third-party version reaches an application's build")
                .isZero();
        Set<String> listed = new TreeSet<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            listed.add(dependency
                    .getElementsByTagName("artifactId")
                    .item(0)
                    .getTextContent()
                    .trim());
            assertThat(dependency
                            .getElementsByTagName("version")
                            .item(0)
                            .getTextContent()
                            .trim())
                    .isEqualTo("${project.version}");
        }
        assertThat(listed).as("the BOM lists the published modules").isEqualTo(published);

        Document parent = read(ROOT.resolve("pom.xml"));
        for (String tag : new String[] {"licenses", "url", "scm", "developers"}) {
            assertThat(parent.getElementsByTagName(tag).getLength())
                    .as("the parent POM has " + tag)
                    .isPositive();
            assertThat(bom.getElementsByTagName(tag).getLength())
                    .as("the BOM has " + tag)
                    .isPositive();
        }
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
        assertThat(read(ROOT.resolve("bom/pom.xml"))
                        .getElementsByTagName("version")
                        .item(0)
                        .getTextContent())
                .isEqualTo(parent.getElementsByTagName("version").item(0).getTextContent());
    }
}
