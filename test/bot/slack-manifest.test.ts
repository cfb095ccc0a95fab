import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_COMMANDS } from '../../bot/slack/slack-bot.js';

const manifest = readFileSync(new URL('../../slack-app-manifest.yaml', import.meta.url), 'utf8');

describe('Slack app manifest', () => {
  it('declares exactly the slash commands the Slack adapter answers', () => {
    const declared = [...manifest.matchAll(/^\s+- command: (\S+)$/gm)].map((match) => match[1]);
    expect(declared.sort()).toEqual(Object.keys(SLACK_COMMANDS).sort());
  });

  it('asks for the scopes the bot uses (commands; im:write and chat:write for alert DMs; users:read and files:write for digests) and Socket Mode', () => {
    const scopes = [...manifest.matchAll(/^\s+- ([a-z]+:?[a-z]*)$/gm)].map((match) => match[1]);
    expect(scopes.sort()).toEqual(['chat:write', 'commands', 'files:write', 'im:write', 'users:read']);
    expect(manifest).toMatch(/^\s+socket_mode_enabled: true$/m);
  });
});
