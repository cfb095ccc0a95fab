/** One trade print. `ts` is epoch milliseconds, UTC. */
export interface Trade {
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
  readonly ts: number;
}
