import { MAX_PRICE, MAX_SIZE, MIN_PRICE } from '../../shared/domain/trade-bounds.js';

/** One edge of the shared trade bounds: the last value inside it and a value just past it. */
export interface TradeBoundEdge {
  readonly bound: string;
  readonly field: 'price' | 'size';
  readonly inside: number;
  readonly outside: number;
}

/** Every edge of `shared/domain/trade-bounds.ts`, for the tests of each place that applies the bounds. */
export const TRADE_BOUND_EDGES: readonly TradeBoundEdge[] = [
  { bound: 'the lowest price', field: 'price', inside: MIN_PRICE, outside: MIN_PRICE * 0.99 },
  { bound: 'the highest price', field: 'price', inside: MAX_PRICE, outside: MAX_PRICE + 0.01 },
  { bound: 'the smallest size', field: 'size', inside: 0, outside: -1 },
  { bound: 'the largest size', field: 'size', inside: MAX_SIZE, outside: MAX_SIZE + 1 },
];

/** A trade's price and size with `value` in the edge's field and an ordinary value in the other. */
export function priceAndSize(edge: TradeBoundEdge, value: number): { price: number; size: number } {
  return edge.field === 'price' ? { price: value, size: 100 } : { price: 50, size: value };
}
