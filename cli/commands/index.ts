import type { Command } from 'commander';
import { registerBacktest } from './backtest.js';
import { registerDigest } from './digest.js';
import { registerDiscordRegister } from './discord-register.js';
import { registerFeed } from './feed.js';
import { registerProduce } from './produce.js';
import { registerUpload } from './upload.js';

/** Adds one subcommand (or a group) to the `stockalert` program. One file per command in this folder. */
export type RegisterCommand = (program: Command) => void;

/** Every `stockalert` subcommand. Add one line per command file. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerProduce,
  registerUpload,
  registerDiscordRegister,
  registerBacktest,
  registerDigest,
  registerFeed,
];
