/**
 * The bot scopes Klik asks for (OAuth installs and manifest.yaml), and which scope each Web API
 * method Klik calls needs. A test checks the manifest grants every scope of every method the test
 * suite saw Klik call.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'mpim:write',
  'channels:read',
  'groups:read',
  'users:read',
  'app_mentions:read',
  'im:history',
  'files:write',
] as const;

/** Method → the bot scopes it needs (all of them). Methods that need none map to []. */
export const METHOD_SCOPES: Record<string, readonly string[]> = {
  'auth.test': [],
  'users.info': ['users:read'],
  // Public channels need channels:read, private ones groups:read.
  'conversations.members': ['channels:read', 'groups:read'],
  // A DM needs im:write, a group DM mpim:write.
  'conversations.open': ['im:write', 'mpim:write'],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'views.open': [],
  'views.publish': [],
  // Called with the app's client id and secret, not a bot token.
  'oauth.v2.access': [],
  // Called with the app-level token (its own scope, connections:write, is not a bot scope).
  'apps.connections.open': [],
};

/** The bot events Klik subscribes to (manifest.yaml), with the scope each needs. */
export const BOT_EVENTS: Record<string, readonly string[]> = {
  member_joined_channel: ['channels:read', 'groups:read'],
  member_left_channel: ['channels:read', 'groups:read'],
  app_mention: ['app_mentions:read'],
  app_home_opened: [],
  app_uninstalled: [],
  tokens_revoked: [],
  channel_archive: ['channels:read'],
  channel_deleted: ['channels:read'],
  channel_unarchive: ['channels:read'],
  'message.im': ['im:history'],
};
