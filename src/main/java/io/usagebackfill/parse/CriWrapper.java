package io.usagebackfill.parse;

import io.usagebackfill.catalog.EventTime;

/**
 * Kubernetes CRI log lines: {@code <RFC3339 time> <stdout|stderr> <F|P> <app line>}. Partial ({@code P}) lines are
 * joined by the reader before they get here, so both tags are treated alike.
 */
final class CriWrapper {

    /** The app line and time, or null when the line is not in CRI form. */
    Unwrapped unwrap(String line) {
        if (line.isEmpty() || !Character.isDigit(line.charAt(0))) {
            return null;
        }
        int firstSpace = line.indexOf(' ');
        if (firstSpace < 0) {
            return null;
        }
        int streamEnd = line.indexOf(' ', firstSpace + 1);
        if (streamEnd < 0 || !isStream(line.substring(firstSpace + 1, streamEnd))) {
            return null;
        }
        int tagEnd = streamEnd + 2;
        if (tagEnd > line.length() || (line.charAt(streamEnd + 1) != 'F' && line.charAt(streamEnd + 1) != 'P')
                || (tagEnd < line.length() && line.charAt(tagEnd) != ' ')) {
            return null;
        }
        String inner = tagEnd < line.length() ? line.substring(tagEnd + 1) : "";
        return new Unwrapped(inner, EventTime.parseText(line.substring(0, firstSpace)));
    }

    private static boolean isStream(String word) {
        return word.equals("stdout") || word.equals("stderr");
    }
}
