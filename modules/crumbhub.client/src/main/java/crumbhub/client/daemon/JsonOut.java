package crumbhub.client.daemon;

import crumbhub.client.format.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds one JSON object for the daemon's output, with nested arrays of objects (room and member
 * lists); strings are escaped by {@link Json#quote}, so a value never breaks the line.
 */
final class JsonOut {
    private final List<String> members = new ArrayList<>();

    JsonOut put(String name, String value) {
        return raw(name, Json.quote(value));
    }

    JsonOut put(String name, long value) {
        return raw(name, Long.toString(value));
    }

    JsonOut put(String name, boolean value) {
        return raw(name, Boolean.toString(value));
    }

    JsonOut put(String name, List<JsonOut> objects) {
        var b = new StringBuilder("[");
        for (int k = 0; k < objects.size(); k++) {
            b.append(k == 0 ? "" : ",").append(objects.get(k));
        }
        return raw(name, b.append(']').toString());
    }

    /** A member whose value is already JSON (an echoed request id). */
    JsonOut raw(String name, String json) {
        members.add(Json.quote(name) + ":" + json);
        return this;
    }

    @Override
    public String toString() {
        return "{" + String.join(",", members) + "}";
    }
}
