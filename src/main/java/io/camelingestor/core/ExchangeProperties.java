package io.camelingestor.core;

/**
 * The exchange properties the routes and the beans pass to each other: each name with its value's type, who
 * sets it and who reads it. The route files under {@code routes/} use the same names as
 * {@code ${exchangeProperty.<name>}} and {@code setProperty: {name: <name>}}; {@code ExchangePropertiesTest}
 * fails the build when a route uses a name not declared here, so a rename here that forgets the YAML (or the
 * other way round) does not reach a running service. The names are strings, so this class knows no type of a
 * higher package; types from higher packages are named in the comments only.
 */
public final class ExchangeProperties {

    /** {@link Envelope}: set by a source (file-source {@code envelope} step, the HTTP fetch); read by every stage. */
    public static final String ENVELOPE = "envelope";

    /** {@code dataset.Dataset}: set by pipeline.yaml {@code setProperty dataset}; read by stage, load, quality checks. */
    public static final String DATASET = "dataset";

    /** {@link StageResult}: set by the stager; read by the quality choice in pipeline.yaml, the load and rejects. */
    public static final String STAGE_RESULT = "stageResult";

    /**
     * {@code batch.BatchStore.StageRun}: when the stage ran and its row counts; set by the stager, written as the
     * batch's {@code pipeline_execution} stage row by whatever ends the batch (the load, the dead letters).
     */
    public static final String STAGE_RUN = "stageRun";

    /** {@code ingest.load.PendingLoad}: set by the stager, taken (removed) by the loader or on abandon. */
    public static final String PENDING_LOAD = "pendingLoad";

    /** Boolean: set by the stager once it has hooked the abandon of the pending load to the exchange's end. */
    public static final String PENDING_LOAD_ABANDON_HOOKED = "pendingLoadAbandonHooked";

    /** Boolean: set by the stager when it first stages the batch; a redelivery replaces what it staged. */
    public static final String STAGED_BEFORE = "stagedBefore";

    /** {@link java.util.UUID}: set by the batch ledger when the batch starts; read by stage, load, dead letters, logs. */
    public static final String BATCH_ID = "batchId";

    /**
     * {@code batch.BatchStatus}: set by the load ({@code LOADED}, {@code PARTIAL}, {@code DUPLICATE}) and the dead
     * letters ({@code REJECTED}, {@code FAILED}); read by the HTTP window outcome.
     */
    public static final String BATCH_STATUS = "batchStatus";

    /** Long: rows the load inserted or updated (0 for a duplicate); set by the loader. */
    public static final String ROWS_LOADED = "rowsLoaded";

    /**
     * {@link java.util.UUID}: for a DUPLICATE, the batch that loaded the same content; set by the registration only
     * for a duplicate, tested and logged by pipeline.yaml.
     */
    public static final String DUPLICATE_OF = "duplicateOf";

    /**
     * String: where the file consumer moves the inbound file when done (relative to it); set by the file-source
     * route's {@code archive-to} step and by rejects/guards, read by the file endpoint's {@code move} option.
     */
    public static final String ARCHIVE_TO = "ingestorArchiveTo";

    /** String: where a failed input's payload is kept (a path), for its dead letter; set by rejects and HTTP requests. */
    public static final String PAYLOAD_REF = "payloadRef";

    /** {@code source.http.HttpSourceSpec}: the HTTP source being run; set by {@code httpSources.begin}, read by the fetch. */
    public static final String SOURCE = "source";

    /** {@code source.http.Device}: the device being fetched; set by http-fetch.yaml {@code setProperty device}. */
    public static final String DEVICE = "device";

    /** {@code source.http.Window}: the window being fetched; set by http-fetch.yaml {@code setProperty window}. */
    public static final String WINDOW = "window";

    /** {@code source.http.WindowPages}: the paging state of the window; set by the fetcher, read by each-page. */
    public static final String HTTP_PAGES = "httpPages";

    /** Integer: records the window's pages held; set by the fetcher, read by http-fetch.yaml (empty window). */
    public static final String HTTP_RECORDS = "httpRecords";

    /** String: why an HTTP source's run failed (absent when it succeeded); set by {@code httpSources.finish}. */
    public static final String HTTP_RUN_ERROR = "httpRunError";

    /** Boolean: the source was running already, this run is skipped; set by {@code httpSources.begin}. */
    public static final String HTTP_SOURCE_BUSY = "httpSourceBusy";

    private ExchangeProperties() {}
}
