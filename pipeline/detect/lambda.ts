import { createDynamoClients, createKinesisClient, createSqsClient } from '../../shared/aws/aws-clients.js';
import { SqsPoisonRecordSink } from '../../shared/aws/sqs-poison-record-sink.js';
import { createLambdaTools, lambdaHandler } from '../lambda/lambda-tools.js';
import { loadDetectorConfig } from './detector-config.js';
import { detectorDeps } from './detector-deps.js';
import { createDetectorHandler } from './detector-handler.js';

// Built once per Lambda environment: the detector's windows and the watcher cache live across invocations.
// Poison records go to the on-failure queue one by one; failed batches go there through the event
// source mapping's on-failure destination, which the CDK app configures.
const config = loadDetectorConfig(process.env);
const tools = createLambdaTools(config);
const { dynamo } = createDynamoClients(config.connection);
const detect = createDetectorHandler(
  detectorDeps(
    config,
    { dynamo, kinesis: createKinesisClient(config.connection) },
    {
      ...tools,
      poisonSink: new SqsPoisonRecordSink(
        createSqsClient(config.connection),
        config.names.detectorFailureQueue,
      ),
    },
  ),
);

/** The Kinesis-triggered detector Lambda for the trades stream. */
export const handler = lambdaHandler(tools, detect);
