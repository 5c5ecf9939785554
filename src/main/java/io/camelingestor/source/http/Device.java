package io.camelingestor.source.http;

/**
 * One device (meter, station, plant) an HTTP source fetches for: its id names the cursor and the rows'
 * {@code device_id}; its token, when the API gives one per device (Tago's device tokens), is a secret.
 *
 * @param id the device's external id; empty for a source without devices
 * @param token per-device credential, or null to use the source's own
 */
public record Device(String id, String token) {

    public Device {
        id = id == null ? "" : id;
    }

    /** The device id as rows carry it: null for a source without devices. */
    public String deviceId() {
        return id.isEmpty() ? null : id;
    }

    @Override
    public String toString() {
        return id.isEmpty() ? "(no device)" : id;
    }
}
