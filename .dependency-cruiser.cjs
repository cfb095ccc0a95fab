/**
 * The import boundaries of DESIGN.md and STYLE.md, checked by `npm test` (`npm run boundaries`).
 * Paths are relative to the repository root; npm packages resolve to `node_modules/<name>/…`.
 */
const PRODUCT = '^(bot|pipeline|shared|cli|infra)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-imports-no-stage',
      comment: 'shared/ is the domain, ports and adapters every stage builds on: it imports none of them.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(bot|pipeline|cli|infra|test|bench)/' },
    },
    {
      name: 'bot-and-pipeline-apart',
      comment: 'The chat bot and the pipeline meet only in shared/ (ports, domain, records).',
      severity: 'error',
      from: { path: '^bot/' },
      to: { path: '^pipeline/' },
    },
    {
      name: 'pipeline-and-bot-apart',
      comment: 'The chat bot and the pipeline meet only in shared/ (ports, domain, records).',
      severity: 'error',
      from: { path: '^pipeline/' },
      to: { path: '^bot/' },
    },
    {
      name: 'infra-imports-only-shared',
      comment: 'The CDK app takes names and settings from shared/ and names handler entry files by path.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(bot|pipeline|cli|test|bench)/' },
    },
    {
      name: 'product-never-imports-tests',
      severity: 'error',
      from: { path: PRODUCT },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'discord-sdk-only-in-discord-adapters',
      comment:
        'discord.js, @discordjs/* and discord-api-types belong to bot/discord and pipeline/notify/discord.',
      severity: 'error',
      from: { path: PRODUCT, pathNot: '^(bot|pipeline/(notify|digest))/discord/' },
      to: { path: 'node_modules/(discord\\.js|@discordjs/[^/]+|discord-api-types)/' },
    },
    {
      name: 'slack-sdk-only-in-slack-adapters',
      comment: '@slack/* belongs to bot/slack and pipeline/notify/slack.',
      severity: 'error',
      from: { path: PRODUCT, pathNot: '^(bot|pipeline/(notify|digest))/slack/' },
      to: { path: 'node_modules/@slack/[^/]+/' },
    },
    {
      name: 'emulators-only-in-the-embedded-stack',
      comment: 'dynalite, kinesalite and s3rver are started by shared/aws/embedded-aws.ts and nowhere else.',
      severity: 'error',
      from: { pathNot: '^shared/aws/(embedded-aws|s3rver-accounts)\\.ts$' },
      to: { path: 'node_modules/(dynalite|kinesalite|s3rver)/' },
    },
    {
      name: 'embedded-stack-loaded-lazily',
      comment:
        'Product code loads the embedded stack with await import() where it starts it, so a Lambda bundle ' +
        'and `npm run bot` against real AWS never load the emulators.',
      severity: 'error',
      from: { path: PRODUCT },
      to: { path: '^shared/aws/embedded-aws\\.ts$', dynamic: false },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|cdk\\.out|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
