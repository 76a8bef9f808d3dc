package io.usagebackfill.read;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Content whose lines end in a bare carriage return (classic Mac OS, some serial loggers): each CR not followed by
 * LF becomes an LF, byte for byte, so offsets stay those of the file. Used only for files whose head has CRs and
 * no LF at all, so a stray CR inside a line of an ordinary log is left alone. Not thread-safe.
 */
final class CrOnlyLines extends FilterInputStream {

    private final PushbackInputStream source;

    private CrOnlyLines(PushbackInputStream source) {
        super(source);
        this.source = source;
    }

    /** Whether a file that starts with {@code head} ends its lines in bare CRs. */
    static boolean in(byte[] head, int length) {
        boolean cr = false;
        for (int i = 0; i < length; i++) {
            if (head[i] == '\n') {
                return false;
            }
            cr |= head[i] == '\r';
        }
        return cr;
    }

    static InputStream wrap(InputStream in) {
        return new CrOnlyLines(new PushbackInputStream(in, 1));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = source.read(b, off, len);
        for (int i = off; i < off + n; i++) {
            if (b[i] != '\r') {
                continue;
            }
            int next = i + 1 < off + n ? b[i + 1] : peek();
            if (next != '\n') {
                b[i] = '\n';
            }
        }
        return n;
    }

    private int peek() throws IOException {
        int next = source.read();
        if (next >= 0) {
            source.unread(next);
        }
        return next;
    }
}
