/**
 * How to reach AWS: the embedded stack's three endpoints, or an account (optionally through one endpoint,
 * for example LocalStack, or one endpoint per service, as the Lambda artefact tests point a bundle at the
 * embedded stack). Produced by config (`aws`) or by starting the embedded stack (`embedded`).
 */
export type AwsConnection =
  | {
      readonly kind: 'embedded';
      readonly region: string;
      readonly endpoints: { readonly dynamodb: string; readonly kinesis: string; readonly s3: string };
      /** The stack's own key pair (see embedded-credentials.ts); its ports refuse any other. */
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    }
  | {
      readonly kind: 'aws';
      readonly region: string;
      readonly endpoint?: string;
      /** Per-service endpoints (the SDK's `AWS_ENDPOINT_URL_<SERVICE>`); each wins over `endpoint`. */
      readonly serviceEndpoints?: Partial<Record<AwsService, string>>;
    };

export type AwsService = 'dynamodb' | 'kinesis' | 's3' | 'sqs' | 'secretsmanager' | 'cloudwatch';
