package io.camelingestor.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code ingestor.api.*}.
 *
 * @param maxUploadSize the largest file {@code POST /api/datasets/{dataset}/files} takes
 * @param awaitBatch how long an upload or replay waits for the batch of its input to be registered, so
 *     that the answer can name it
 */
@ConfigurationProperties("ingestor.api")
public record ApiProperties(@DefaultValue("100MB") DataSize maxUploadSize, @DefaultValue("10s") Duration awaitBatch) {}
