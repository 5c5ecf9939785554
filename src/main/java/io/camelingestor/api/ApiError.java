package io.camelingestor.api;

/** The body of every API error. */
public record ApiError(String error, String detail) {}
