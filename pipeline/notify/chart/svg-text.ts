/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface TextOptions {
  readonly size: number;
  readonly weight?: 400 | 600;
  readonly fill?: string;
  readonly anchor?: 'start' | 'middle' | 'end';
}

/** One line of text in the bundled Inter font (the renderer has no other fonts). */
export function svgText(x: number, y: number, text: string, options: TextOptions): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="Inter" font-size="${options.size}" font-weight="${options.weight ?? 400}" fill="${options.fill ?? '#202124'}" text-anchor="${options.anchor ?? 'start'}">${escapeXml(text)}</text>`;
}
