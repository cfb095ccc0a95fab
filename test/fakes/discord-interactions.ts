import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteractionGuildMember,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  type GuildMemberFlags,
  InteractionContextType,
  InteractionType,
  Locale,
} from 'discord-api-types/v10';
import { dmChannelIdOf, FAKE_APPLICATION_ID } from './fake-discord.js';

let counter = 0;
function nextSnowflake(): string {
  counter += 1;
  return String(300000000000000000n + BigInt(counter));
}

/** Where a command is typed: a guild channel, or the user's DM with the bot. */
export type InteractionPlace =
  | {
      readonly guildId: string;
      readonly channelId?: string;
      /** The member's permission bits in the channel, as Discord computes them (default none). */
      readonly permissions?: string;
    }
  | 'dm';

export type OptionValue = string | number | boolean;

export function discordUser(id: string, username = `user${id.slice(-4)}`): APIUser {
  return { id, username, discriminator: '0', global_name: username, avatar: null };
}

function toOptions(
  options: Readonly<Record<string, OptionValue | undefined>>,
  focused?: string,
): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(options).flatMap(([name, value]) => {
    if (value === undefined) return [];
    const type =
      typeof value === 'number'
        ? ApplicationCommandOptionType.Number
        : typeof value === 'boolean'
          ? ApplicationCommandOptionType.Boolean
          : ApplicationCommandOptionType.String;
    return [
      {
        name,
        type,
        value,
        ...(name === focused ? { focused: true } : {}),
      } as APIApplicationCommandInteractionDataBasicOption,
    ];
  });
}

function placeFields(user: APIUser, place: InteractionPlace) {
  if (place === 'dm') {
    return {
      user,
      channel: { id: dmChannelIdOf(user.id), type: ChannelType.DM as const, recipients: [user] },
      channel_id: dmChannelIdOf(user.id),
      context: InteractionContextType.BotDM as const,
    };
  }
  const channelId = place.channelId ?? '400000000000000001';
  const member = {
    user,
    roles: [],
    joined_at: '2024-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    permissions: place.permissions ?? '0',
  } satisfies APIInteractionGuildMember;
  return {
    guild_id: place.guildId,
    member,
    channel: { id: channelId, type: ChannelType.GuildText as const },
    channel_id: channelId,
    guild_locale: Locale.EnglishUS,
    context: InteractionContextType.Guild as const,
  };
}

/** The fields every interaction carries, whatever its type. */
function envelope(place: InteractionPlace) {
  return {
    id: nextSnowflake(),
    application_id: FAKE_APPLICATION_ID,
    token: `token-${nextSnowflake()}`,
    version: 1 as const,
    app_permissions: '0',
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: {
      [ApplicationIntegrationType.GuildInstall]: place === 'dm' ? '0' : place.guildId,
    },
    attachment_size_limit: 8_388_608,
  };
}

/** A slash command as Discord delivers it in INTERACTION_CREATE, typed by discord-api-types. */
export function slashCommand(
  name: string,
  options: Readonly<Record<string, OptionValue | undefined>>,
  user: APIUser,
  place: InteractionPlace,
): APIChatInputApplicationCommandInteraction {
  return {
    ...envelope(place),
    type: InteractionType.ApplicationCommand,
    data: { id: nextSnowflake(), name, type: ApplicationCommandType.ChatInput, options: toOptions(options) },
    ...placeFields(user, place),
  } satisfies APIChatInputApplicationCommandInteraction;
}

/** An autocomplete request while the user types into `focused`. */
export function autocomplete(
  name: string,
  options: Readonly<Record<string, OptionValue | undefined>>,
  focused: string,
  user: APIUser,
  place: InteractionPlace,
): APIApplicationCommandAutocompleteInteraction {
  return {
    ...envelope(place),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: nextSnowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      options: toOptions(options, focused),
    },
    ...placeFields(user, place),
  } satisfies APIApplicationCommandAutocompleteInteraction;
}
