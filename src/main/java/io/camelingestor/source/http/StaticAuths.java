package io.camelingestor.source.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The schemes whose credentials never change during a run: nothing, a header token, bearer, basic. */
@Configuration(proxyBeanMethods = false)
class StaticAuths {

    /** No credentials (Open-Meteo). */
    @Bean
    HttpAuth noAuth() {
        return (spec, device, header) -> {};
    }

    /**
     * The device's token (or the source's {@code token}) in the header {@code authHeader}, as Tago's
     * {@code device-token}.
     */
    @Bean
    HttpAuth headerTokenAuth() {
        return (spec, device, header) -> header.accept(spec.credentials().authHeader(), tokenOf(spec, device));
    }

    /** {@code Authorization: Bearer <token>} with the device's or the source's token. */
    @Bean
    HttpAuth bearerAuth() {
        return (spec, device, header) -> header.accept("Authorization", "Bearer " + tokenOf(spec, device));
    }

    /** {@code Authorization: Basic} from {@code username} and {@code password}. */
    @Bean
    HttpAuth basicAuth() {
        return (spec, device, header) -> header.accept(
                "Authorization",
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString((spec.credentials().username() + ":"
                                                + spec.credentials().password())
                                        .getBytes(StandardCharsets.UTF_8)));
    }

    static String tokenOf(HttpSourceSpec spec, Device device) {
        String token =
                device.token() != null ? device.token() : spec.credentials().token();
        if (token == null) {
            throw new IllegalStateException("source " + spec.sourceId() + ": no token for device " + device);
        }
        return token;
    }
}
