package io.pagestream.structure;

/** HTML character references, the few a model writes: the named ones of markup and spacing, and numeric ones. */
final class HtmlText {
    private HtmlText() {}

    static String decode(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int semi = c == '&' ? text.indexOf(';', i) : -1;
            if (semi > i + 1 && semi - i <= 10) {
                String decoded = entity(text.substring(i + 1, semi));
                if (decoded != null) {
                    out.append(decoded);
                    i = semi + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String entity(String name) {
        switch (name) {
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return "\"";
            case "apos", "#39":
                return "'";
            case "nbsp":
                return " ";
            default:
                break;
        }
        try {
            int code;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                code = Integer.parseInt(name.substring(2), 16);
            } else if (name.startsWith("#")) {
                code = Integer.parseInt(name.substring(1));
            } else {
                return null;
            }
            return Character.isValidCodePoint(code) && code != 0 ? Character.toString(code) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
