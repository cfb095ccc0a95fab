import { seededRandom } from '../../pipeline/demo/seeded-random.js';
import { PASS, type ProxiedCall, type ProxyAction } from './fault-proxy.js';

/** What a run injects. Shares are of the matching calls; kill points count calls of one kind. */
export interface FaultPlan {
  readonly seed: number;
  /** Kill the runner at these alerts-stream PutRecords calls: after the Alert write, before the emit. */
  readonly killBeforeEmitAt: readonly number[];
  /** Kill the runner at these delivery-record writes: after the platform accepted the DM, before `sent`. */
  readonly killBeforeDeliveryRecordAt: readonly number[];
  /** Share of the runner's DynamoDB calls answered 400 ProvisionedThroughputExceeded or 500. */
  readonly dynamoErrorShare: number;
  /** Share of GetRecords (runner) and PutRecords (producer and runner) calls answered 400/500. */
  readonly kinesisErrorShare: number;
  /** 429 storms and 5xx bursts on each platform's send endpoint, spread over the replay. */
  readonly platformBursts: number;
  /** Undecodable records put on the trades stream mid-replay. */
  readonly poisonRecords: number;
  /** Malformed rows inside the replayed file (the producer's rejects). */
  readonly rejectRows: number;
  /** Drop the Discord gateway in the middle of the /watch traffic. */
  readonly gatewayDrop: boolean;
}

export const NO_FAULTS: FaultPlan = {
  seed: 1,
  killBeforeEmitAt: [],
  killBeforeDeliveryRecordAt: [],
  dynamoErrorShare: 0,
  kinesisErrorShare: 0,
  platformBursts: 0,
  poisonRecords: 0,
  rejectRows: 0,
  gatewayDrop: false,
};

/** Every kind of fault at once, its call numbers and timing drawn from `seed`. */
export function seededFaultPlan(
  seed: number,
  scale: { kills: number; bursts: number; errorShare?: number },
): FaultPlan {
  const random = seededRandom(seed);
  const points = (count: number, spread: number) =>
    Array.from({ length: count }, () => 1 + Math.floor(random() * spread)).sort((a, b) => a - b);
  return {
    seed,
    killBeforeEmitAt: points(scale.kills, 3),
    killBeforeDeliveryRecordAt: points(scale.kills, 6).map((n, i) => n + i * 6),
    dynamoErrorShare: scale.errorShare ?? 0.03,
    kinesisErrorShare: scale.errorShare ?? 0.03,
    platformBursts: scale.bursts,
    poisonRecords: 1,
    rejectRows: 3,
    gatewayDrop: true,
  };
}

export interface FaultCounts {
  killsBeforeEmit: number;
  killsBeforeDeliveryRecord: number;
  dynamoErrors: number;
  kinesisErrors: number;
  platform429s: number;
  platform5xx: number;
  poisonRecords: number;
  rejectRows: number;
  gatewayDrops: number;
}

export function newFaultCounts(): FaultCounts {
  return {
    killsBeforeEmit: 0,
    killsBeforeDeliveryRecord: 0,
    dynamoErrors: 0,
    kinesisErrors: 0,
    platform429s: 0,
    platform5xx: 0,
    poisonRecords: 0,
    rejectRows: 0,
    gatewayDrops: 0,
  };
}

export function totalFaults(counts: FaultCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/**
 * The proxy rules of a plan. `alive` says whether a runner is up to be killed (a call from a runner
 * that is restarting is never a kill point); `kill` kills it and reports the kind.
 */
export function faultRules(
  plan: FaultPlan,
  streams: { readonly alerts: string },
  counts: FaultCounts,
  kill: (kind: 'before-emit' | 'before-delivery-record') => boolean,
) {
  const random = seededRandom(plan.seed ^ 0x5eed);
  let emits = 0;
  let deliveryRecords = 0;
  const fail = (service: 'dynamo' | 'kinesis'): ProxyAction => {
    const throttle = random() < 0.5;
    if (service === 'dynamo') counts.dynamoErrors += 1;
    else counts.kinesisErrors += 1;
    const prefix = service === 'dynamo' ? 'com.amazonaws.dynamodb.v20120810#' : '';
    return throttle
      ? {
          kind: 'fail',
          status: 400,
          errorType: `${prefix}ProvisionedThroughputExceededException`,
          message: 'Rate exceeded',
        }
      : {
          kind: 'fail',
          status: 500,
          errorType: `${prefix}${service === 'dynamo' ? 'InternalServerError' : 'InternalFailure'}`,
          message: 'Internal failure',
        };
  };
  const dynamo = (call: ProxiedCall): ProxyAction => {
    const update = call.body.UpdateExpression;
    if (
      call.target.endsWith('.UpdateItem') &&
      typeof update === 'string' &&
      update.startsWith('SET delivery = :status')
    ) {
      deliveryRecords += 1;
      if (plan.killBeforeDeliveryRecordAt.includes(deliveryRecords) && kill('before-delivery-record')) {
        counts.killsBeforeDeliveryRecord += 1;
        return { kind: 'kill' };
      }
    }
    return random() < plan.dynamoErrorShare ? fail('dynamo') : PASS;
  };
  const kinesis = (call: ProxiedCall): ProxyAction => {
    const operation = call.target.split('.')[1];
    if (operation === 'PutRecords' && call.body.StreamName === streams.alerts) {
      emits += 1;
      if (plan.killBeforeEmitAt.includes(emits) && kill('before-emit')) {
        counts.killsBeforeEmit += 1;
        return { kind: 'kill' };
      }
    }
    if (operation !== 'GetRecords' && operation !== 'PutRecords') return PASS;
    return random() < plan.kinesisErrorShare ? fail('kinesis') : PASS;
  };
  return { dynamo, kinesis };
}
