import { TYPED_COMMAND_DIALECT } from '../console/console-text.js';
import type { CommandResult } from '../core/command-result.js';
import type { ReplyDialect } from '../text/reply-dialect.js';
import { renderReply } from '../text/reply-text.js';

/**
 * Slash command names are shared by every app in a workspace, and `/help` is too generic to claim, so
 * StockAlert's help is `/stockalert`. Everything else is typed as on the console; tables go in a code block
 * so that the columns line up.
 */
export const SLACK_HELP_COMMAND = '/stockalert';

const SLACK_DIALECT: ReplyDialect = {
  ...TYPED_COMMAND_DIALECT,
  command: (name) => (name === 'help' ? SLACK_HELP_COMMAND : `/${name}`),
  table: (lines) => ['```', ...lines, '```'].join('\n'),
  helpLines: (context) =>
    TYPED_COMMAND_DIALECT.helpLines(context).map((line) =>
      line.replace(/^ {2}\/help {22}/, `  ${SLACK_HELP_COMMAND.padEnd(27)}`),
    ),
};

/** Slack mrkdwn for a command outcome. */
export function renderSlackReply(result: CommandResult): string {
  return renderReply(result, SLACK_DIALECT);
}
