import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_COMMANDS } from '../../bot/slack/slack-bot.js';
import { manifestBotScopes, SLACK_METHOD_SCOPES } from '../fakes/fake-slack.js';

const manifest = readFileSync(new URL('../../slack-app-manifest.yaml', import.meta.url), 'utf8');

describe('Slack app manifest', () => {
  it('declares exactly the slash commands the Slack adapter answers', () => {
    const declared = [...manifest.matchAll(/^\s+- command: (\S+)$/gm)].map((match) => match[1]);
    expect(declared.sort()).toEqual(Object.keys(SLACK_COMMANDS).sort());
  });

  it('asks for the scopes the bot uses (commands; im:write, chat:write and files:write for alert DMs; users:read for digests) and Socket Mode', () => {
    expect(manifestBotScopes().sort()).toEqual([
      'chat:write',
      'commands',
      'files:write',
      'im:write',
      'users:read',
    ]);
    expect(manifest).toMatch(/^\s+socket_mode_enabled: true$/m);
  });

  it('grants every scope the Web API methods the messenger calls need', () => {
    // The fake Slack grants its bot token exactly these scopes and refuses a call without its scope.
    const granted = new Set(manifestBotScopes());
    for (const [method, scope] of Object.entries(SLACK_METHOD_SCOPES)) {
      expect(granted.has(scope), `${method} needs ${scope}`).toBe(true);
    }
  });
});
