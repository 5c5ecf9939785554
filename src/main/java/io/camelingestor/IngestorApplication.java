package io.camelingestor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestorApplication {
    public static void main(String[] args) {
        SpringApplication.run(IngestorApplication.class, args);
    }
}
