package io.opsdoc.checks.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reading the management API's JSON: absent fields are normal (a stopped node reports only its name). */
final class Api {
    private Api() {
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static List<JsonNode> items(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    static long number(JsonNode object, String field) {
        JsonNode n = object == null ? null : object.get(field);
        return n != null && n.isNumber() ? n.asLong() : 0;
    }

    static boolean flag(JsonNode object, String field) {
        JsonNode n = object == null ? null : object.get(field);
        return n != null && n.asBoolean(false);
    }

    static String text(JsonNode object, String field) {
        JsonNode n = object == null ? null : object.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }

    /** {@code vhost/name}, how RabbitMQ's own tools name a queue; "/" is the default vhost. */
    static String queueName(JsonNode queue) {
        String vhost = text(queue, "vhost");
        return ("/".equals(vhost) ? "" : vhost) + "/" + text(queue, "name");
    }

    static double round1(double d) {
        return Math.round(d * 10) / 10.0;
    }

    /** The first {@code max} names, then "and N more": summaries stay one readable line. */
    static String some(List<String> names, int max) {
        if (names.size() <= max) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, max)) + " and " + (names.size() - max) + " more";
    }

    /** The major version of "3.10.8" (0 when unknown). */
    static int major(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return 0;
        }
    }
}
