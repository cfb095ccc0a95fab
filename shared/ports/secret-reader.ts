/** Reads a secret's current value by ARN or name (Secrets Manager in the cloud), cached by the adapter. */
export interface SecretReader {
  read(secretId: string, maxAgeSeconds: number): Promise<string>;
}
