import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CloudWatchShardLoadSource } from '../../shared/aws/cloudwatch-shard-load-source.js';
import { createPowertoolsLogger } from '../../shared/log/powertools-logger.js';
import { loadAutoscaleConfig } from './autoscale-config.js';
import { autoscaleStream } from './stream-autoscaler.js';

const config = loadAutoscaleConfig(process.env);
const endpoint = config.connection.kind === 'aws' ? config.connection.endpoint : undefined;
const kinesis = new KinesisClient({
  region: config.connection.region,
  ...(endpoint !== undefined && { endpoint }),
  // An http:// emulator speaks HTTP/1 only (see docs/architecture.md); AWS keeps the SDK default.
  ...(endpoint?.startsWith('http://') && { requestHandler: new NodeHttpHandler() }),
});
const cloudwatch = new CloudWatchClient({
  region: config.connection.region,
  ...(endpoint !== undefined && { endpoint }),
});
const logger = createPowertoolsLogger(config.serviceName);

/** The scheduled shard autoscaler of the trades stream: at most one split or merge per tick. */
export const handler = () =>
  autoscaleStream({
    kinesis,
    loads: new CloudWatchShardLoadSource(cloudwatch),
    streamName: config.streamName,
    policy: config.policy,
    logger,
  });
