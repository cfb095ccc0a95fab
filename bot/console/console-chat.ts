import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { consoleUserKey } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { CommandCore } from '../core/command-core.js';
import type { CommandPlace } from '../core/command-place.js';
import { splitCommandLine } from '../core/parse-command.js';
import { renderConsoleReply } from './console-text.js';

export interface ConsoleChatOptions {
  readonly core: CommandCore;
  readonly input: Readable;
  readonly output: Writable;
  /** The one local user; defaults to `console:local`. */
  readonly userKey?: string;
  /** Defaults to `> `. */
  readonly prompt?: string;
  /** Line editing and prompt redrawing; defaults to whether `output` is a TTY. */
  readonly terminal?: boolean;
  /** Called once when the chat has closed (input ended, Ctrl-C/Ctrl-D, or close()) and pending commands finished. */
  readonly onClose?: () => void;
  readonly logger?: Logger;
}

export const DM_PREFIX = '📩 DM: ';
export const NOTICE_PREFIX = 'ℹ️  ';
export const NOT_A_COMMAND_REPLY =
  'Commands start with "/". Type /help to see them — for example /watch BAC 3% 15m';

/** The terminal is one channel, run by whoever types in it: `/digest` there posts to the terminal. */
const CONSOLE_CHANNEL: CommandPlace = {
  kind: 'channel',
  channelKey: 'console:terminal',
  managerRule: 'console',
  mayManage: async () => true,
};

/**
 * An interactive chat on a pair of streams, for trying the bot without Slack or Discord: each line goes
 * through the command core as `userKey`, and incoming DMs are printed between prompts. It only closes
 * its readline, never the streams it was given, and never exits the process.
 */
export class ConsoleChat {
  readonly userKey: string;
  /** Settles once the chat has closed and every command typed before that has been answered. */
  readonly closed: Promise<void>;

  private readonly options: ConsoleChatOptions;
  private readline: Interface | undefined;
  private state: 'new' | 'open' | 'closed' = 'new';
  /** Lines are answered one at a time, in the order typed. */
  private queue: Promise<void> = Promise.resolve();
  /** A prompt is on screen waiting for input, so anything printed must first move it out of the way. */
  private promptShown = false;
  private resolveClosed: () => void = () => {};

  constructor(options: ConsoleChatOptions) {
    this.options = options;
    this.userKey = options.userKey ?? consoleUserKey('local');
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /** Starts reading lines and shows the first prompt. */
  start(): void {
    if (this.state !== 'new') throw new Error(`console chat cannot start: it is ${this.state}`);
    this.state = 'open';
    const { input, output, prompt = '> ', terminal } = this.options;
    const readline = createInterface({
      input,
      output,
      prompt,
      ...(terminal === undefined ? {} : { terminal }),
    });
    this.readline = readline;
    readline.on('line', (line) => {
      this.promptShown = false;
      this.queue = this.queue.then(() => this.answer(line));
    });
    // Without a listener readline only pauses on Ctrl-C, leaving a chat that ignores its user.
    readline.on('SIGINT', () => this.close());
    readline.on('close', () => this.finish());
    this.showPrompt();
  }

  /** Prints an incoming direct message without mangling a half-typed line: clear, print, re-prompt. */
  showDirectMessage(text: string): void {
    this.print(`${DM_PREFIX}${text}`);
  }

  /** Prints a status line from the system (replay progress, errors) the same way, clearly marked. */
  showNotice(text: string): void {
    this.print(`${NOTICE_PREFIX}${text}`);
  }

  /** Stops reading. Commands already typed are still answered before `closed` settles. */
  close(): void {
    if (this.readline === undefined) {
      this.finish();
      return;
    }
    this.readline.close();
  }

  private async answer(line: string): Promise<void> {
    const reply = await this.replyTo(line);
    if (reply !== undefined) this.print(reply);
    if (this.state === 'open' && !this.promptShown) this.showPrompt();
  }

  private async replyTo(line: string): Promise<string | undefined> {
    if (line.trim() === '') return undefined;
    const commandLine = splitCommandLine(line);
    if (commandLine === undefined) return NOT_A_COMMAND_REPLY;
    try {
      const result = await this.options.core.run(
        this.userKey,
        commandLine.name,
        commandLine.args,
        CONSOLE_CHANNEL,
      );
      return renderConsoleReply(result);
    } catch (error) {
      this.options.logger?.error('console command failed', {
        command: commandLine.name,
        error,
      });
      return `⚠️ That command could not be completed (${error instanceof Error ? error.message : String(error)}). Try again.`;
    }
  }

  private print(text: string): void {
    const { output } = this.options;
    if (this.promptShown) {
      if (this.readline?.terminal) {
        clearLine(output, 0);
        cursorTo(output, 0);
      } else {
        output.write('\n');
      }
    }
    output.write(`${text}\n`);
    // prompt(true) redraws the prompt together with whatever the user had typed so far.
    if (this.promptShown) this.readline?.prompt(true);
  }

  private showPrompt(): void {
    this.readline?.prompt();
    this.promptShown = true;
  }

  private finish(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    // Leave the cursor on a fresh line for whatever prints next (the shell, a log line).
    if (this.promptShown) this.options.output.write('\n');
    this.promptShown = false;
    this.queue = this.queue.then(() => {
      this.options.onClose?.();
      this.resolveClosed();
    });
  }
}
