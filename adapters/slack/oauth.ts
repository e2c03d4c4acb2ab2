/**
 * Installs into many workspaces: `GET /slack/install` sends the person to Slack (with a signed
 * state, also kept in a cookie) and `GET /slack/oauth_redirect` exchanges the code for a bot token
 * (`oauth.v2.access`) and stores the installation, its tokens sealed with KLIK_SECRET_KEY.
 * Bolt's InstallProvider does the protocol; this file gives it Klik's store and pages.
 */
import { type Installation, type InstallationQuery, type InstallationStore, InstallProvider } from '@slack/oauth';
import type { Router } from 'express';
import type { Logger } from '../../src/core/ports.js';
import type { SlackInstallations } from './installations.js';
import { slackLogger } from './log.js';
import { BOT_SCOPES } from './scopes.js';

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** Where Slack sends the person back: `${PUBLIC_URL}/slack/oauth_redirect`. */
  redirectUri: string;
  apiUrl?: string;
  installations: SlackInstallations;
  logger: Logger;
}

class KlikInstallationStore implements InstallationStore {
  constructor(private readonly installations: SlackInstallations) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const team = installation.team;
    if (installation.isEnterpriseInstall || !team?.id) throw new Error('org-wide installs are not supported');
    const bot = installation.bot;
    if (!bot?.token || !bot.userId) throw new Error('the install granted no bot token');
    await this.installations.save({
      teamId: team.id,
      ...(team.name ? { teamName: team.name } : {}),
      botToken: bot.token,
      botUserId: bot.userId,
      ...(bot.id ? { botId: bot.id } : {}),
      ...(installation.appId ? { appId: installation.appId } : {}),
      botScopes: bot.scopes,
      ...(installation.enterprise?.id ? { enterpriseId: installation.enterprise.id } : {}),
      ...(installation.user?.id ? { installerUserId: installation.user.id } : {}),
      ...(installation.user?.token ? { userToken: installation.user.token } : {}),
      ...(installation.user?.scopes ? { userScopes: installation.user.scopes } : {}),
      ...(bot.refreshToken ? { botRefreshToken: bot.refreshToken } : {}),
      ...(bot.expiresAt !== undefined ? { botExpiresAt: bot.expiresAt } : {}),
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v2', false>> {
    const record = query.teamId ? await this.installations.find(query.teamId) : null;
    if (!record?.botToken || !record.botUserId) throw new Error('no installation for this team');
    return {
      team: { id: record.teamId, ...(record.teamName ? { name: record.teamName } : {}) },
      enterprise: record.details.enterpriseId ? { id: record.details.enterpriseId } : undefined,
      user: { token: undefined, scopes: undefined, id: record.details.installerUserId ?? '' },
      bot: {
        token: record.botToken,
        scopes: record.details.botScopes ?? [],
        id: record.details.botId ?? '',
        userId: record.botUserId,
      },
      tokenType: 'bot',
      isEnterpriseInstall: false,
      authVersion: 'v2',
      ...(record.details.appId ? { appId: record.details.appId } : {}),
    };
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    if (query.teamId) await this.installations.revoke(query.teamId);
  }
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;line-height:1.5">` +
  `<h1>${title}</h1>${body}</body></html>`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function mountSlackOAuth(router: Router, options: SlackOAuthOptions): InstallProvider {
  const installUrlOptions = { scopes: [...BOT_SCOPES], redirectUri: options.redirectUri };
  const installer = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateSecret: options.stateSecret,
    installationStore: new KlikInstallationStore(options.installations),
    directInstall: true,
    installUrlOptions,
    logger: slackLogger(options.logger),
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: { retries: 0 },
    },
  });

  router.get('/install', async (req, res) => {
    try {
      await installer.handleInstallPath(req, res, undefined, installUrlOptions);
    } catch {
      if (!res.headersSent) res.status(500).type('text/plain').send('Something went wrong\n');
    }
  });

  router.get('/oauth_redirect', async (req, res) => {
    await installer.handleCallback(req, res, {
      success: (installation, _options, _req, response) => {
        const team = escapeHtml(installation.team?.name ?? 'your workspace');
        options.logger.info({ teamId: installation.team?.id }, 'slack workspace installed');
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end(
          page(
            'Klik is installed',
            `<p>Klik is now part of ${team}. Invite it to your network's channel with <code>/invite @Klik</code>, then type <code>/klik setup</code> there.</p>` +
              `<p lang="nl">Klik is geïnstalleerd in ${team}. Nodig Klik uit in het kanaal van je netwerk met <code>/invite @Klik</code> en typ daar <code>/klik start</code>.</p>`,
          ),
        );
      },
      failure: (error, _options, _req, response) => {
        options.logger.warn({ code: error.code }, 'slack install failed');
        response.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end(
          page(
            'Klik was not installed',
            '<p>The installation did not complete. Please start again from the install link.</p>' +
              '<p lang="nl">De installatie is niet gelukt. Begin opnieuw via de installatielink.</p>',
          ),
        );
      },
    });
  });

  return installer;
}
