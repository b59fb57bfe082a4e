package dev.btw.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM ({@code btw-bom/pom.xml}) cannot drift from the build: it lists every module of the parent pom (but
 * itself) at the project's version, carries the parent's version, and both carry what Maven Central asks for.
 */
class BomTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void bomListsEveryModuleAtTheParentsVersion() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        Element bom = read(ROOT.resolve("btw-bom/pom.xml"));
        List<String> modules = texts(child(parent, "modules"), "module");
        assertTrue(modules.contains("btw-bom"), "the parent builds btw-bom: " + modules);
        assertEquals(text(parent, "version"), text(bom, "version"), "btw-bom's version is the parent's");
        assertEquals("pom", text(bom, "packaging"));
        assertNull(child(bom, "parent"), "btw-bom has no parent: it must not pin third-party versions");

        List<String> listed = new ArrayList<>();
        for (Element d : elements(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertEquals("dev.btw", text(d, "groupId"));
            assertEquals("${project.version}", text(d, "version"), text(d, "artifactId"));
            listed.add(text(d, "artifactId"));
        }
        List<String> expected = new ArrayList<>();
        for (String module : modules) {
            if (!module.equals("btw-bom")) {
                expected.add(text(read(ROOT.resolve(module).resolve("pom.xml")), "artifactId"));
            }
        }
        assertEquals(expected, listed, "btw-bom lists every module of the parent pom, in its order");
    }

    @Test
    void parentAndBomCarryThePublishingMetadata() throws Exception {
        for (Path pom : List.of(ROOT.resolve("pom.xml"), ROOT.resolve("btw-bom/pom.xml"))) {
            Element p = read(pom);
            for (String field : List.of("name", "description", "url")) {
                assertFalse(text(p, field).isBlank(), pom + " has no " + field);
            }
            assertEquals("Apache-2.0", text(child(child(p, "licenses"), "license"), "name"), pom.toString());
            assertFalse(elements(child(p, "developers"), "developer").isEmpty(), pom + " names no developer");
            Element scm = child(p, "scm");
            for (String field : List.of("connection", "developerConnection", "url")) {
                assertFalse(text(scm, field).isBlank(), pom + " scm has no " + field);
            }
        }
        assertTrue(Files.readString(ROOT.resolve("NOTICE")).contains("Apache License, Version 2.0"));
    }

    private static Element read(Path pom) throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        return d.getDocumentElement();
    }

    private static Element child(Element e, String name) {
        if (e == null) {
            return null;
        }
        List<Element> found = elements(e, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> elements(Element e, String name) {
        List<Element> out = new ArrayList<>();
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element c && c.getTagName().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    private static String text(Element e, String name) {
        Element c = child(e, name);
        return c == null ? "" : c.getTextContent().trim();
    }

    private static List<String> texts(Element e, String name) {
        List<String> out = new ArrayList<>();
        for (Element c : elements(e, name)) {
            out.add(c.getTextContent().trim());
        }
        return out;
    }
}
