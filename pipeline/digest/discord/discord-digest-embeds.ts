import type { APIEmbed } from 'discord-api-types/v10';
import type { Digest } from '../digest.js';
import { andMore, DISCORD_LIMITS, packTable } from '../digest-limits.js';
import { describeClosure, describePeriod, digestTableLines, quietNote } from '../digest-text.js';

const COLOR = 0x1d3557;

/**
 * A digest as Discord embeds: the table in code blocks of at most 4,096 characters per embed, at most
 * 10 embeds and 6,000 characters in all (titles and footers included); the chart, when attached as
 * `imageFile`, is shown in the last embed. Rows that do not fit end in "…and N more symbols".
 */
export function discordDigestEmbeds(digest: Digest, imageFile?: string): APIEmbed[] {
  const title = digest.title.slice(0, DISCORD_LIMITS.titleChars);
  const period = describePeriod(digest.period);
  if (digest.rows.length === 0) {
    const note = digest.period.closure
      ? describeClosure(digest.period.closure)
      : 'No trades of the digest’s symbols in this period.';
    return [{ title, description: `${period}\n${note}`, color: COLOR }];
  }
  const quiet = quietNote(digest)?.slice(0, 1_000);
  const [header = '', ...rows] = digestTableLines(digest);
  // Room for the title, the period line, the footer notes and "and N more".
  const reserve = title.length + period.length + (quiet?.length ?? 0) + 80;
  const { chunks, omitted } = packTable(header, rows, {
    chunkChars: DISCORD_LIMITS.descriptionChars - period.length - 1,
    maxChunks: DISCORD_LIMITS.embeds,
    totalChars: DISCORD_LIMITS.totalChars,
    reserve,
  });
  const footer = [...(omitted > 0 ? [andMore(omitted)] : []), ...(quiet ? [quiet] : [])].join(' ');
  return chunks.map((chunk, index): APIEmbed => {
    const last = index === chunks.length - 1;
    return {
      ...(index === 0 ? { title } : {}),
      description: index === 0 ? `${period}\n${chunk}` : chunk,
      color: COLOR,
      ...(last && footer !== '' ? { footer: { text: footer } } : {}),
      ...(last && imageFile ? { image: { url: `attachment://${imageFile}` } } : {}),
    };
  });
}

/** Characters Discord counts toward the 6,000 limit: titles, descriptions, footers, fields. */
export function embedChars(embeds: readonly APIEmbed[]): number {
  return embeds.reduce(
    (sum, embed) =>
      sum + (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0),
    0,
  );
}
