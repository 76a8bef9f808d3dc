package io.usagebackfill.parse;

import java.time.Instant;

/** The application's own line found inside a container runtime's wrapper, and the wrapper's time. */
record Unwrapped(String line, Instant time) {
}
