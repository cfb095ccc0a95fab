/**
 * Node flags of the live-feed task. A 4 MB cap on V8's young generation (semi-space) keeps the connector
 * under 200 MB at 50,000 trades/s: `npm run bench:feed` on a quiet machine measured peak RSS 211 MB without
 * it and 177 MB with it, p99 latency 179 and 191 ms (the Alpaca SDK's per-trade objects otherwise grow the
 * young generation). bench:feed starts the connector with these flags unless told otherwise.
 */
export const FEED_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
