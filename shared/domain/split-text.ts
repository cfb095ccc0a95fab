/** A Markdown code fence, as both platforms write one. */
export const FENCE = '```';

/**
 * Splits text at line breaks into parts of at most `limit` characters; a code block cut in two is closed
 * and reopened so that each part renders on its own; a line too long for any part is wrapped, never cut.
 * A 50-watch list is about 3,000 characters.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current: string[] = [];
  let inFence = false;
  let length = 0;
  const reserve = FENCE.length + 1;
  const widest = limit - 2 * reserve;
  const lines = text.split('\n').flatMap((line) => wrap(line, widest));
  for (const line of lines) {
    if (length + line.length + 1 + reserve > limit && current.length > 0) {
      parts.push([...current, ...(inFence ? [FENCE] : [])].join('\n'));
      current = inFence ? [FENCE] : [];
      length = current.join('\n').length;
    }
    current.push(line);
    length += line.length + 1;
    if (line.startsWith(FENCE)) inFence = !inFence;
  }
  parts.push(current.join('\n'));
  return parts;
}

function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const pieces: string[] = [];
  for (let start = 0; start < line.length; start += width) pieces.push(line.slice(start, start + width));
  return pieces;
}
