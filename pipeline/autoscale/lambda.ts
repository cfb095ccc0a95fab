import { createCloudWatchClient, createKinesisClient } from '../../shared/aws/aws-clients.js';
import { CloudWatchShardLoadSource } from '../../shared/aws/cloudwatch-shard-load-source.js';
import { createLambdaTools, lambdaHandler } from '../lambda/lambda-tools.js';
import { loadAutoscaleConfig } from './autoscale-config.js';
import { autoscaleStream } from './stream-autoscaler.js';

const config = loadAutoscaleConfig(process.env);
// Per-service endpoints (`AWS_ENDPOINT_URL_<SERVICE>`) win over the shared one; an http:// Kinesis
// emulator gets HTTP/1 (see createKinesisClient), AWS keeps the SDK defaults.
const kinesis = createKinesisClient(config.connection);
const cloudwatch = createCloudWatchClient(config.connection);
const tools = createLambdaTools(config);

/** The scheduled shard autoscaler of the trades stream: at most one split or merge per tick. */
export const handler = lambdaHandler(tools, () =>
  autoscaleStream({
    kinesis,
    loads: new CloudWatchShardLoadSource(cloudwatch),
    streamName: config.streamName,
    policy: config.policy,
    logger: tools.logger,
  }),
);
