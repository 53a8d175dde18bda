package io.mpsecrets.examples.it;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An application's mistakes, for {@link MaskedLogIT}: it logs the secret it was given in a message, as a parameter
 * and in an exception's message and its cause's, through java.util.logging as applications on servers do.
 */
@Path("/careless")
@RequestScoped
public class CarelessResource {

    private static final Logger LOG = Logger.getLogger("org.example.orders.Careless");

    @Inject
    @ConfigProperty(name = "tokens.signing-key")
    String signingKey;

    @POST
    public String logTheSecret() {
        LOG.info("signing tokens with " + signingKey);
        LOG.log(Level.INFO, "the key is {0}", signingKey);
        LOG.log(
                Level.WARNING,
                "signing failed",
                new IllegalStateException(
                        "bad key " + signingKey, new IllegalArgumentException("key rejected: " + signingKey)));
        return "logged";
    }
}
