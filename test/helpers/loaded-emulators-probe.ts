/**
 * Run as a child (`node --import tsx test/helpers/loaded-emulators-probe.ts aws|embedded <dataDir>`):
 * opens an AWS session the way `npm run bot` does and prints which emulator packages the process has
 * loaded (they are CommonJS, so they show in the require cache).
 */
import { createRequire } from 'node:module';
import { openAwsSession } from '../../cli/aws-session.js';
import { DEFAULT_RESOURCE_NAMES } from '../../shared/aws/resources.js';

const [kind, dataDir = '.'] = process.argv.slice(2);
const session = await openAwsSession({
  target:
    kind === 'aws'
      ? { kind: 'aws', region: 'us-east-1' }
      : { kind: 'embedded', region: 'us-east-1', ports: { dynamodb: 0, kinesis: 0, s3: 0 }, dataDir },
  names: DEFAULT_RESOURCE_NAMES,
  joinRunning: false,
});
const cache = createRequire(import.meta.url).cache;
const loaded = new Set(
  Object.keys(cache).flatMap((path) => /node_modules\/(dynalite|kinesalite|s3rver)\//.exec(path)?.[1] ?? []),
);
await session.close();
process.stdout.write(`${JSON.stringify([...loaded].sort())}\n`);
process.exit(0);
