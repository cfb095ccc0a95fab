/** How many alerts fired on a symbol in a span (the Alerts table's bySymbol index). */
export interface AlertCounter {
  countAlerts(symbol: string, fromTs: number, toTs: number): Promise<number>;
}

/** The symbols the users of a workspace or guild watch: a digest's default symbols. */
export interface CommunitySymbols {
  /** `channelKey` is the subscribing channel; its platform and community decide whose watches count. */
  watchedIn(channelKey: string): Promise<string[]>;
}
