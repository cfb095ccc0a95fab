/**
 * Sets `key` as the map's newest entry (a Map keeps insertion order, so a key set again moves to the end)
 * and drops the oldest entries beyond `max`: the bounded caches of the notifier and the detector.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}
