/**
 * How to reach AWS: the embedded stack's three endpoints, or an account (optionally through one endpoint,
 * for example LocalStack). Produced by config (`aws`) or by starting the embedded stack (`embedded`).
 */
export type AwsConnection =
  | {
      readonly kind: 'embedded';
      readonly region: string;
      readonly endpoints: { readonly dynamodb: string; readonly kinesis: string; readonly s3: string };
      /** The stack's own key pair (see embedded-credentials.ts); its ports refuse any other. */
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    }
  | { readonly kind: 'aws'; readonly region: string; readonly endpoint?: string };
