import type { FeedError } from '../../shared/ports/market-feed.js';

/** What a person should do about a feed that stopped; one exhaustive switch, as for command errors. */
export function feedErrorText(error: FeedError): string {
  const vendor = `(Alpaca said: ${error.vendorMessage})`;
  switch (error.code) {
    case 'auth-failed':
      return `the market-data feed refused the API keys ${vendor}. Check ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY: copy both from https://app.alpaca.markets (API keys, on the right of the dashboard); a paper-account reset makes new keys.`;
    case 'symbol-limit':
      return `the plan allows fewer symbols on the trades channel than were asked for ${vendor}. Lower STOCKALERT_FEED_MAX_TRADE_SYMBOLS (the free IEX plan allows 30); the other watched symbols then follow minute bars.`;
    case 'connection-limit':
      return `another connection to this Alpaca feed is already open with the same keys ${vendor}. Stop the other connector (another "stockalert feed" or "npm start -- --live"), or use other keys; most plans allow one connection.`;
    case 'insufficient-subscription':
      return `the Alpaca plan does not include this feed ${vendor}. Use --feed iex (free plan), or subscribe to Algo Trader Plus for --feed sip.`;
    case 'connect-failed':
      return `the market-data feed could not be reached ${vendor}. Check the network, or ALPACA_STREAM_URL if it is set.`;
    case 'protocol-error':
      return `the market-data feed sent something this connector does not understand ${vendor}. Report it with the log file.`;
  }
}
