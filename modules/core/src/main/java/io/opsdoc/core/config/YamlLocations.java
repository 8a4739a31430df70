package io.opsdoc.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each key and value of a YAML document starts, by JSON Pointer. A tree of JsonNodes forgets positions, so
 * one streaming pass records them; semantic errors found later (unknown check, bad URI) can still name the line.
 * Object members are located at their key, array elements at their value. Also used by {@code opsdoc rules} for
 * Prometheus rule files (lint messages name the line; annotate edits the text at these positions).
 */
public final class YamlLocations {
    /** 1-based line and column, and the 0-based character offset in the text. */
    public record Position(int line, int column, long offset) {
    }

    private final Map<String, JsonLocation> starts = new HashMap<>();

    public static YamlLocations of(String yaml) throws IOException {
        YamlLocations l = new YamlLocations();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            Deque<Object> path = new ArrayDeque<>(); // String field names or int[] array indexes
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    path.pop(); // the marker pushed by the matching START
                    continue;
                }
                if (t == JsonToken.FIELD_NAME) {
                    path.pop();
                    path.push(p.currentName());
                    l.starts.put(pointer(path), p.currentTokenLocation());
                    continue;
                }
                if (!path.isEmpty() && path.peek() instanceof int[] index) {
                    index[0]++;
                    l.starts.put(pointer(path), p.currentTokenLocation());
                } else if (path.isEmpty()) {
                    l.starts.put("", p.currentTokenLocation());
                }
                if (t == JsonToken.START_OBJECT) {
                    path.push("");
                } else if (t == JsonToken.START_ARRAY) {
                    path.push(new int[] {-1});
                }
            }
        }
        return l;
    }

    private static String pointer(Deque<Object> path) {
        StringBuilder b = new StringBuilder();
        var it = path.descendingIterator();
        while (it.hasNext()) {
            Object o = it.next();
            b.append('/').append(o instanceof int[] i ? Integer.toString(i[0]) : o.toString());
        }
        return b.toString();
    }

    /** {@code line:column} of the key or value at this pointer, or of its nearest located parent. */
    public String at(String pointer) {
        String p = pointer;
        while (true) {
            JsonLocation loc = starts.get(p);
            if (loc != null) {
                return loc.getLineNr() + ":" + loc.getColumnNr();
            }
            if (p.isEmpty()) {
                return "1:1";
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** Exactly where the key or value at this pointer starts; empty when the document has no such node. */
    public Optional<Position> position(String pointer) {
        JsonLocation loc = starts.get(pointer);
        return loc == null ? Optional.empty()
                : Optional.of(new Position(loc.getLineNr(), loc.getColumnNr(), loc.getCharOffset()));
    }
}
