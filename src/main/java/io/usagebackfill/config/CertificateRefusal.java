package io.usagebackfill.config;

import java.sql.SQLException;

/**
 * A connection the driver refused because the server's certificate does not pass the check the URL's
 * {@code sslmode} asks for ({@code verify-ca}: signed by the root in {@code sslrootcert}; {@code verify-full}: that,
 * and issued for the URL's host), said as what to change in the URL. Retrying cannot help, so it is a configuration
 * error. Stateless.
 */
final class CertificateRefusal {

    private CertificateRefusal() {
    }

    /** The sentence for {@code e}, or null when it is not a refused certificate. */
    static String describe(DatabaseUrl url, SQLException e) {
        String message = String.valueOf(e.getMessage());
        String where = "the database server at " + url.redacted();
        if (message.contains("could not be verified by hostnameverifier")) {
            return where + " presented a certificate issued for another host name than the URL's, which"
                    + " sslmode=verify-full refuses; connect by the name the certificate names (the provider's host"
                    + " name, not an IP address or an alias), or use sslmode=verify-ca to check only who signed it;"
                    + " retrying will not help";
        }
        if (message.contains("SSL root certificate file") || message.contains("SSL certificate file")) {
            return "cannot read the root certificate that sslmode=verify-ca or verify-full checks the server's"
                    + " against (" + firstLine(message) + "); give the CA certificate's file as sslrootcert=FILE in the"
                    + " URL (the provider's download; without it PgJDBC looks in ~/.postgresql/root.crt); retrying"
                    + " will not help";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return where + " presented a certificate that the root certificate in the URL's sslrootcert did"
                        + " not sign (" + firstLine(message) + "); point sslrootcert=FILE at the CA certificate"
                        + " that signed the server's (the provider's download), or use sslmode=require to encrypt"
                        + " without checking the server; retrying will not help";
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        return DatabaseUrl.mask(message.lines().findFirst().orElse("").strip());
    }
}
