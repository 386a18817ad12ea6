package io.pagestream.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code catch} clauses of one Java source, found by a small lexer rather than a parser: comments and string,
 * text-block and character literals are blanked first, so a {@code catch} in prose or in a string is none.
 */
final class CatchClauses {
    private static final Pattern CATCH = Pattern.compile("\\bcatch\\s*\\(([^)]*)\\)\\s*\\{");

    /**
     * One clause: the simple names of the types it catches, its parameter, its body (literals blanked), its line, and
     * whether an earlier clause of the same {@code try} already took {@code Error}s.
     */
    record Clause(List<String> types, String variable, String body, int line, boolean errorsTakenBefore) {}

    private CatchClauses() {}

    static List<Clause> of(String source) {
        String code = blankCommentsAndLiterals(source);
        List<Clause> clauses = new ArrayList<>();
        // By the offset of a clause's closing brace: a clause right after it belongs to the same try.
        Map<Integer, Clause> byEnd = new HashMap<>();
        Matcher m = CATCH.matcher(code);
        while (m.find()) {
            int open = m.end() - 1;
            int close = matchingBrace(code, open);
            String[] parameter = m.group(1).strip().split("\\s+");
            String variable = parameter[parameter.length - 1];
            List<String> types = Arrays.stream(m.group(1)
                            .substring(0, m.group(1).lastIndexOf(variable))
                            .replaceAll("\\bfinal\\b|@\\w+", "")
                            .split("\\|"))
                    .map(String::strip)
                    .map(t -> t.substring(t.lastIndexOf('.') + 1))
                    .toList();
            int before = m.start() - 1;
            while (before >= 0 && Character.isWhitespace(code.charAt(before))) {
                before--;
            }
            Clause previous = byEnd.get(before);
            boolean errorsTaken = previous != null
                    && (previous.errorsTakenBefore()
                            || previous.types().contains("Error")
                            || previous.types().contains("Throwable"));
            Clause clause =
                    new Clause(types, variable, code.substring(open + 1, close), lineOf(code, m.start()), errorsTaken);
            clauses.add(clause);
            byEnd.put(close, clause);
            m.region(open + 1, code.length());
        }
        return clauses;
    }

    private static int matchingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced braces after offset " + open);
    }

    private static int lineOf(String code, int offset) {
        return (int) code.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    /** The source with comments and literals replaced by spaces (line breaks kept, so line numbers hold). */
    static String blankCommentsAndLiterals(String source) {
        StringBuilder out = new StringBuilder(source);
        int i = 0;
        int n = source.length();
        while (i < n) {
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                end = i + 1;
                while (end < n && source.charAt(end) != quote && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
            } else {
                i++;
                continue;
            }
            for (int k = i; k < end; k++) {
                if (out.charAt(k) != '\n') {
                    out.setCharAt(k, ' ');
                }
            }
            i = end;
        }
        return out.toString();
    }
}
