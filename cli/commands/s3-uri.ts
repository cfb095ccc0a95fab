import { InvalidArgumentError } from 'commander';

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** Parses `s3://bucket/key` (the key may be empty: the whole bucket); a commander argument parser. */
export function parseS3Uri(text: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
  if (!match) {
    throw new InvalidArgumentError(
      `"${text}" is not an S3 URI: write s3://bucket/key (or s3://bucket/prefix/); upload a local file first with the upload command`,
    );
  }
  return { bucket: match[1] as string, key: match[2] ?? '' };
}
