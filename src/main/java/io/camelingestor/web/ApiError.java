package io.camelingestor.web;

/** The body of every API error. */
public record ApiError(String error, String detail) {}
