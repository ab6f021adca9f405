package dev.ledgerhook.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceHeaderTest {

    static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";
    static final String PARENT = "53995c3f42cd8ad8";

    @AfterEach
    void clear() {
        System.clearProperty(TraceHeader.PROPERTY);
    }

    @Test
    void lambdasHeaderGivesRootParentAndSampled() {
        TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1;Lineage=a87bd80c:1").orElseThrow();

        assertEquals(ROOT, header.root());
        assertEquals(Optional.of(PARENT), header.parent());
        assertTrue(header.sampled());
        assertTrue(header.traced());
    }

    @Test
    void anyOrderSpacesAndKeyCaseAreAccepted() {
        TraceHeader header = TraceHeader.parse(" sampled=1 ; parent=" + PARENT + " ;ROOT=" + ROOT).orElseThrow();

        assertEquals(ROOT, header.root());
        assertEquals(Optional.of(PARENT), header.parent());
        assertTrue(header.sampled());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sampled=0", "Sampled=?", "Sampled=", "Sampled=true", ""})
    void onlySampledOneIsSampled(String sampled) {
        TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";Parent=" + PARENT + ";" + sampled).orElseThrow();

        assertFalse(header.sampled());
        assertFalse(header.traced());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", ";;;", "garbage", "Root=", "Root=1-5759e988", "Root=2-5759e988-bd862e3fe1be46a994272793",
            "Root=1-5759E988-BD862E3FE1BE46A994272793", "Root=1-5759e988-bd862e3fe1be46a99427279;Sampled=1",
            "Parent=53995c3f42cd8ad8;Sampled=1", "=1-5759e988-bd862e3fe1be46a994272793",
            "Root=1-5759e988-bd862e3fe1be46a994272793x"})
    void noWellFormedRootIsNoHeader(String header) {
        assertEquals(Optional.empty(), TraceHeader.parse(header));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Parent=53995c3f42cd8ad", "Parent=53995c3f42cd8ad8a", "Parent=53995c3f42cd8adz", "Parent=", "X"})
    void aMalformedOrMissingParentIsLeftOutAndNotTraced(String parent) {
        TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";" + parent + ";Sampled=1").orElseThrow();

        assertEquals(Optional.empty(), header.parent());
        assertTrue(header.sampled());
        assertFalse(header.traced(), "no segment to attach a subsegment to");
    }

    @Test
    void theCurrentHeaderIsTheRuntimesSystemPropertyReadEachTime() {
        System.setProperty(TraceHeader.PROPERTY, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1");
        assertEquals(ROOT, TraceHeader.current().orElseThrow().root());

        String next = "1-5759e988-00000000000000000000beef";
        System.setProperty(TraceHeader.PROPERTY, "Root=" + next + ";Parent=" + PARENT + ";Sampled=0");
        assertEquals(next, TraceHeader.current().orElseThrow().root());
        assertFalse(TraceHeader.current().orElseThrow().sampled());
    }
}
