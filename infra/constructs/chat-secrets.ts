import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { InfraOptions } from '../infra-options.js';

/** The secrets a platform needs, named by the environment variable the process reads. */
const SECRET_VARIABLES = {
  discord: ['DISCORD_BOT_TOKEN'],
  slack: ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'],
  alpaca: ['ALPACA_API_KEY_ID', 'ALPACA_API_SECRET_KEY'],
} as const;

export type SecretVariable = (typeof SECRET_VARIABLES)[keyof typeof SECRET_VARIABLES][number];

/**
 * One Secrets Manager secret per credential (`stockalert/<variable>`). The stack creates them with a
 * placeholder; the operator puts the real value (README "Deploy to AWS"). Values never enter the template.
 */
export class ChatSecrets extends Construct {
  readonly secrets: Partial<Record<SecretVariable, Secret>> = {};

  constructor(scope: Construct, id: string, options: InfraOptions) {
    super(scope, id);
    const wanted = [...options.platforms, ...(options.feed === 'alpaca' ? (['alpaca'] as const) : [])];
    for (const group of wanted) {
      for (const variable of SECRET_VARIABLES[group]) {
        this.secrets[variable] = new Secret(this, variable, {
          secretName: secretNameOf(variable),
          description: `StockAlert ${variable}: put the real value with aws secretsmanager put-secret-value`,
          removalPolicy: RemovalPolicy.DESTROY,
        });
      }
    }
  }

  /** The secrets of `variables` that this deployment has. */
  pick(variables: readonly SecretVariable[]): [SecretVariable, Secret][] {
    return variables.flatMap((variable) => {
      const secret = this.secrets[variable];
      return secret === undefined ? [] : [[variable, secret] as [SecretVariable, Secret]];
    });
  }
}

export function secretNameOf(variable: SecretVariable): string {
  return `stockalert/${variable.toLowerCase().replaceAll('_', '-')}`;
}
