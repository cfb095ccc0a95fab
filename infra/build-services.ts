import { buildServices } from './service-bundle.js';

/** `npm run build:services`: the bot and the command line into dist/, as the Dockerfile builds them. */
const metafile = await buildServices('dist');
for (const [file, output] of Object.entries(metafile.outputs)) {
  if (file.endsWith('.map')) continue;
  process.stdout.write(`${file.padEnd(40)} ${(output.bytes / 1024).toFixed(0).padStart(6)} KiB\n`);
}
