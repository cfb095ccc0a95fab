/** Platform limits a digest message must stay within (see DESIGN.md). */
export const SLACK_LIMITS = { blocks: 50, sectionChars: 3_000, headerChars: 150, textChars: 40_000 } as const;
export const DISCORD_LIMITS = {
  embeds: 10,
  totalChars: 6_000,
  descriptionChars: 4_096,
  titleChars: 256,
} as const;

/**
 * Packs table lines into chunks of at most `chunkChars` characters (each chunk wrapped in a code fence
 * with the header line repeated), for at most `maxChunks` chunks and `totalChars` overall. Returns the
 * chunks and how many rows did not fit.
 */
export function packTable(
  header: string,
  rows: readonly string[],
  limits: { chunkChars: number; maxChunks: number; totalChars: number; reserve: number },
): { chunks: string[]; omitted: number } {
  const fence = '```';
  const chunks: string[] = [];
  let used = 0;
  let index = 0;
  while (index < rows.length && chunks.length < limits.maxChunks) {
    const lines = [header];
    let length = fence.length * 2 + 2 + header.length;
    while (index < rows.length) {
      const next = (rows[index] as string).length + 1;
      if (length + next > limits.chunkChars || used + length + next > limits.totalChars - limits.reserve)
        break;
      lines.push(rows[index] as string);
      length += next;
      index += 1;
    }
    if (lines.length === 1) break;
    chunks.push(`${fence}\n${lines.join('\n')}\n${fence}`);
    used += length;
  }
  return { chunks, omitted: rows.length - index };
}

export function andMore(omitted: number): string {
  return `…and ${omitted} more ${omitted === 1 ? 'symbol' : 'symbols'}.`;
}
