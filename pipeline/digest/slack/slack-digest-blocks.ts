import type { KnownBlock } from '@slack/web-api';
import type { Digest } from '../digest.js';
import { andMore, packTable, SLACK_LIMITS } from '../digest-limits.js';
import { describeClosure, describePeriod, digestTableLines, quietNote } from '../digest-text.js';

/** Blocks before and after the table sections: header, period, quiet note, "and N more". */
const FIXED_BLOCKS = 4;

/**
 * A digest as Slack Block Kit: a header, the period, then the ranked table in code-block sections of at
 * most 3,000 characters, never more than 50 blocks; rows that do not fit end in "…and N more symbols".
 */
export function slackDigestMessage(digest: Digest): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: digest.title.slice(0, SLACK_LIMITS.headerChars) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: describePeriod(digest.period) }] },
  ];
  const summary = `${digest.title} — ${describePeriod(digest.period)}`;
  if (digest.rows.length === 0) {
    const note = digest.period.closure
      ? describeClosure(digest.period.closure)
      : 'No trades of the digest’s symbols in this period.';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: note } });
    return { text: `${summary}: ${note}`, blocks };
  }
  const [header = '', ...rows] = digestTableLines(digest);
  const { chunks, omitted } = packTable(header, rows, {
    chunkChars: SLACK_LIMITS.sectionChars,
    maxChunks: SLACK_LIMITS.blocks - FIXED_BLOCKS,
    totalChars: SLACK_LIMITS.textChars,
    reserve: 1_000,
  });
  for (const chunk of chunks) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  const quiet = quietNote(digest);
  const notes = [...(omitted > 0 ? [andMore(omitted)] : []), ...(quiet ? [quiet.slice(0, 2_900)] : [])];
  if (notes.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: notes.join(' ') }] });
  const top = digest.rows
    .slice(0, 5)
    .map((row) => `${row.symbol} ${row.changePct >= 0 ? '+' : ''}${row.changePct.toFixed(2)}%`)
    .join(', ');
  return { text: `${summary}: ${top}`, blocks };
}
