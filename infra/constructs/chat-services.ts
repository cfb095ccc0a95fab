import { Aws } from 'aws-cdk-lib';
import { FlowLogDestination, type IVpc, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  Secret as EcsSecret,
  FargateService,
  FargateTaskDefinition,
  type ICluster,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FEED_NODE_FLAGS } from '../feed-node-flags.js';
import type { InfraOptions } from '../infra-options.js';
import { REPO_ROOT } from '../repo-root.js';
import type { ChatSecrets, SecretVariable } from './chat-secrets.js';

export interface ChatServicesProps {
  readonly options: InfraOptions;
  readonly secrets: ChatSecrets;
  /** Resource names and the target (`STOCKALERT_AWS=aws`) every process reads. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface LongLivedService {
  readonly service: FargateService;
  readonly taskDefinition: FargateTaskDefinition;
}

/**
 * The long-lived processes, on Fargate (arm64) from the repo's Dockerfile: the bot (the Discord
 * gateway and Slack Socket Mode hold connections open, which a Lambda cannot) and, behind a context
 * switch, the live feed connector. Both only dial out, so they run in public subnets with no load
 * balancer, no inbound rule and no NAT gateway.
 */
export class ChatServices extends Construct {
  readonly bot: LongLivedService;
  readonly feed?: LongLivedService;

  constructor(scope: Construct, id: string, props: ChatServicesProps) {
    super(scope, id);
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC }],
      flowLogs: { rejected: { destination: FlowLogDestination.toCloudWatchLogs() } },
    });
    const cluster = new Cluster(this, 'Cluster', {
      vpc: vpc as IVpc,
      containerInsightsV2: ContainerInsights.ENABLED,
    });
    // A prebuilt image keeps `cdk synth` (and the tests) free of Docker; otherwise it is built at deploy time.
    const image =
      props.options.botImageUri === undefined
        ? ContainerImage.fromAsset(REPO_ROOT, { platform: Platform.LINUX_ARM64 })
        : ContainerImage.fromRegistry(props.options.botImageUri);
    const service = (name: string, command: string[] | undefined, variables: readonly SecretVariable[]) => {
      const taskDefinition = new FargateTaskDefinition(this, `${name}Task`, {
        cpu: 256,
        memoryLimitMiB: 512,
        runtimePlatform: {
          cpuArchitecture: CpuArchitecture.ARM64,
          operatingSystemFamily: OperatingSystemFamily.LINUX,
        },
      });
      taskDefinition.addContainer(name, {
        image,
        ...(command && { command }),
        environment: { ...props.environment, AWS_REGION: Aws.REGION },
        secrets: Object.fromEntries(
          props.secrets
            .pick(variables)
            .map(([variable, secret]) => [variable, EcsSecret.fromSecretsManager(secret as ISecret)]),
        ),
        logging: LogDrivers.awsLogs({
          streamPrefix: name,
          logGroup: new LogGroup(this, `${name}Logs`, { retention: RetentionDays.ONE_MONTH }),
        }),
      });
      const fargate = new FargateService(this, `${name}Service`, {
        cluster: cluster as ICluster,
        taskDefinition,
        desiredCount: 1,
        assignPublicIp: true,
        vpcSubnets: { subnetType: SubnetType.PUBLIC },
        circuitBreaker: { rollback: true },
        // One gateway connection per bot token: never two tasks at once during a deployment.
        minHealthyPercent: 0,
        maxHealthyPercent: 100,
      });
      return { service: fargate, taskDefinition };
    };
    this.bot = service('bot', undefined, ['DISCORD_BOT_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']);
    if (props.options.feed === 'alpaca') {
      this.feed = service(
        'feed',
        ['node', ...FEED_NODE_FLAGS, 'dist/stockalert.mjs', 'feed', 'alpaca'],
        ['ALPACA_API_KEY_ID', 'ALPACA_API_SECRET_KEY'],
      );
    }
  }
}
