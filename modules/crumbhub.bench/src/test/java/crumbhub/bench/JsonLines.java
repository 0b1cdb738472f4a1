package crumbhub.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the bench's flat JSON lines (string, number and null values only) for tests. */
final class JsonLines {
    private JsonLines() {}

    static List<Map<String, String>> parse(String output) {
        var out = new ArrayList<Map<String, String>>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith("{") || !line.endsWith("}")) {
                throw new IllegalArgumentException("not a JSON object line: " + line);
            }
            out.add(object(line.substring(1, line.length() - 1)));
        }
        return out;
    }

    private static Map<String, String> object(String body) {
        var m = new LinkedHashMap<String, String>();
        int i = 0;
        while (i < body.length()) {
            int keyEnd = body.indexOf('"', i + 1);
            String key = body.substring(i + 1, keyEnd);
            int v = keyEnd + 2;
            int end;
            String value;
            if (body.charAt(v) == '"') {
                end = body.indexOf('"', v + 1);
                value = body.substring(v + 1, end);
                end++;
            } else {
                end = body.indexOf(',', v);
                if (end < 0) {
                    end = body.length();
                }
                value = body.substring(v, end);
            }
            m.put(key, value);
            i = end + 1;
        }
        return m;
    }
}
