package crumbhub.wire.log;

import java.util.function.BiConsumer;

/** Splits the {@code k=v k="quoted v"} lines that {@link Log} writes back into pairs. */
final class KeyValues {
    private KeyValues() {}

    static void parse(String line, BiConsumer<String, String> out) {
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                if (i < n) {
                    out.accept("msg", line.substring(i));
                }
                return;
            }
            String key = line.substring(i, eq);
            i = eq + 1;
            var value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (i < n && line.charAt(i) != '"') {
                    char c = line.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        char e = line.charAt(++i);
                        value.append(e == 'n' ? '\n' : e);
                    } else {
                        value.append(c);
                    }
                    i++;
                }
                i++;
            } else {
                while (i < n && line.charAt(i) != ' ') {
                    value.append(line.charAt(i++));
                }
            }
            out.accept(key, value.toString());
        }
    }
}
