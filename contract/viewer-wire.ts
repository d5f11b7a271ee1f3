// Between the server or the HTML export (src/) and the viewer in the browser (viewer/): where
// the page finds its data. Imported by both sides; browser-safe (constants only).

/** The view model's bytes, served next to the page (relative to it in the browser). */
export const VIEW_DATA_PATH = 'data/view.bin';
/** The same, as the server's route. */
export const VIEW_DATA_ROUTE = `/${VIEW_DATA_PATH}`;
/** The element of an exported HTML file that holds the view model inline (gzip, base64). */
export const DATA_ELEMENT_ID = 'async-prof-data';
/** data-encoding of that element: the view data gzipped, then base64 (binary in HTML text). */
export const DATA_ENCODING_GZIP_BASE64 = 'gzip-base64';

/** `run --live`: Server-Sent Events telling the page a newer view model is served (relative to the page). */
export const LIVE_EVENTS_PATH = 'live/events';
/** The same, as the server's route. */
export const LIVE_EVENTS_ROUTE = `/${LIVE_EVENTS_PATH}`;
/** Response header of the view data when the server is live (the page then listens to LIVE_EVENTS_PATH). */
export const LIVE_HEADER = 'X-Async-Prof-Live';
/** `run --live --keep`: POST here (with LIVE_HEADER: snapshot, from the page's own origin) writes the flight recorder's window as a trace. */
export const LIVE_SNAPSHOT_PATH = 'live/snapshot';
export const LIVE_SNAPSHOT_ROUTE = `/${LIVE_SNAPSHOT_PATH}`;
/** Response header of the view data when the live server can take snapshots. */
export const LIVE_SNAPSHOT_HEADER = 'X-Async-Prof-Snapshot';
