package dev.hsdo.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads YAML or JSON text into a Jackson tree, with parse errors that name the line and column. */
public final class StructuredText {
    // A repeated key is almost always a mistake; the silent "last one wins" would hide it.
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private StructuredText() {}

    /**
     * The tree of {@code text}: JSON when it starts with <code>{</code> or {@code [}, YAML otherwise. Empty
     * text gives a {@code MissingNode}.
     *
     * @throws IllegalArgumentException "line L, column C: problem" when the text does not parse
     */
    public static JsonNode parse(String text) {
        String start = text.stripLeading();
        // YAML 1.1 parsers trip over some valid JSON (tabs), so JSON goes to the JSON parser.
        ObjectMapper mapper = start.startsWith("{") || start.startsWith("[") ? JSON : YAML;
        try {
            JsonNode tree = mapper.readTree(text);
            return tree == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : tree;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
    }

    private static String describe(JacksonException e) {
        // SnakeYAML's message spans several lines with source excerpts; keep the problem and its context.
        if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
            String context = y.getContext() == null || y.getContextMark() == null ? ""
                    : " (" + y.getContext() + " started at " + at(y.getContextMark()) + ")";
            return at(y.getProblemMark()) + ": " + y.getProblem() + context;
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return where + firstLine(e.getOriginalMessage());
    }

    private static String at(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String firstLine(String message) {
        if (message == null) return "cannot parse";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
